import * as path from 'node:path';
import type { IntrospectOptions, Session } from '../core/backend';
import { readOverrides, type LoadedOverrides } from '../core/codegen/overrides/file';
import { generationInputs } from '../core/codegen/overrides/resolve';
import type { MappingOverrides } from '../core/codegen/types';
import { SchemaWatcher, type WatchEvent } from '../core/codegen/watcher';
import { formatMs } from '../core/deadline';
import { formatChanges, summariseChanges } from '../core/introspect/diff';
import type { ConnectionProfile } from '../core/model';
import { redactor } from '../core/redact';
import type { GenerateOutcome, SchemaService } from '../core/schemaService';
import type { CliArgs } from './args';
import type { Plan } from './run';
import { printWarnings, type Printer } from './warnings';

export interface WatchContext {
  args: CliArgs;
  plan: Plan;
  profile: ConnectionProfile;
  schemas: SchemaService;
  session: Session;
  filter?: IntrospectOptions;
  mapping: MappingOverrides & { splitThreshold?: number };
  /** The generation just made: the watcher regenerates only when the schema or the overrides move on. */
  baseline: GenerateOutcome;
  print: Printer;
  printErr: Printer;
}

/**
 * `plugboard generate --watch`: after the first generation, a SchemaWatcher re-introspects every --interval
 * (at once on a DDL notice when the backend sends them) and regenerates when the schema or the overrides
 * file changed, printing what changed. Resolves when SIGINT or SIGTERM has stopped it cleanly: the round in
 * flight aborted (the writer leaves the old files whole), the listening connection closed.
 */
export async function watchGenerate(ctx: WatchContext): Promise<void> {
  const { args, plan, schemas, profile, print, printErr } = ctx;
  let overrides: LoadedOverrides | undefined = plan.overrides;
  const time = () => new Date().toISOString().slice(11, 19);
  const watcher = new SchemaWatcher({
    intervalMs: args.intervalMs,
    timeoutMs: args.timeoutMs,
    baseline: { fingerprint: ctx.baseline.fingerprint, inputs: ctx.baseline.inputs, model: ctx.baseline.model },
    introspect: (signal) => schemas.model(profile, { filter: { ...ctx.filter, forGeneration: true }, fresh: true, signal }),
    inputs: plan.overridesAt
      ? async () => {
          overrides = await readOverrides(plan.overridesAt!.file, plan.overridesAt!.required);
          return generationInputs(overrides);
        }
      : undefined,
    subscribe: ctx.session.watchSchema ? (listener, signal) => ctx.session.watchSchema!(listener, signal) : undefined,
    regenerate: async (round, signal) => {
      const outcome = await schemas.generate(profile, { targets: plan.targets!, outDir: plan.out!, templatesDir: plan.templatesDir, model: round.model, overrides, signal, ...ctx.mapping });
      printWarnings(outcome.warnings, printErr);
      if (args.json) {
        const { fingerprint, inputs, written, unchanged, warnings } = outcome;
        print(JSON.stringify({ event: 'regenerated', reason: round.reason, fingerprint, inputs, changes: round.changes, written, unchanged, warnings }));
        return;
      }
      const why = [round.schemaChanged ? `schema changed (${summariseChanges(round.changes)})` : '', round.inputsChanged ? 'overrides changed' : ''].filter(Boolean).join('; ');
      print(`[${time()}] ${why}`);
      if (round.changes.length) print(formatChanges(round.changes));
      print(`  regenerated: ${outcome.written.length} written, ${outcome.unchanged.length} unchanged (fingerprint ${outcome.fingerprint})`);
      for (const f of outcome.written) print(`  ${path.relative(process.cwd(), f)}`);
    },
    onEvent: (event) => report(event),
  });
  const report = (event: WatchEvent) => {
    if (event.kind === 'failed') {
      printErr(redactor.redact(`plugboard: watch: ${event.error.toDisplayString()} (retrying in ${formatMs(Math.round(event.retryInMs / 100) * 100)})`));
    } else if (event.kind === 'listening' && !args.json) {
      print(`[${time()}] listening for DDL notices (channel plugboard_ddl) besides checking every ${formatMs(args.intervalMs)}`);
    } else if (event.kind === 'not-listening' && !args.json) {
      print(`[${time()}] not listening for DDL notices (${event.error.message}); checking every ${formatMs(args.intervalMs)}`);
    } else if (event.kind === 'notified' && !args.json) {
      print(`[${time()}] DDL notice${event.detail ? `: ${event.detail}` : ''}`);
    }
  };
  const stop = () => void watcher.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (!args.json) print(`Watching ${profile.name} every ${formatMs(args.intervalMs)}; Ctrl-C stops.`);
  try {
    await watcher.start();
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    await watcher.stop();
  }
  if (!args.json) print('Stopped watching.');
}
