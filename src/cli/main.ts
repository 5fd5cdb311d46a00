import * as path from 'node:path';
import { getAdapter } from '../backends/registry';
import type { Session } from '../backends/adapter';
import { generate, resolveTargets } from '../core/codegen/generate';
import { INT8_AS, NUMERIC_AS, DATE_AS, type CodegenOptions } from '../core/codegen/types';
import { writeGeneratedFiles } from '../core/codegen/writer';
import { PlugboardError, isPlugboardError } from '../core/errors';
import { classifyError } from '../core/health/classify';
import { checkDrift } from '../core/introspect/drift';
import { formatChanges } from '../core/introspect/diff';
import type { ConnectionProfile, SchemaModel, Secret } from '../core/model';
import { parsePostgresConnectionString } from '../core/profiles/connectionString';
import { redactor } from '../core/redact';
import { parseCli, USAGE, type CliArgs } from './args';
import { DEMO_PROFILE_NAME } from '../backends/postgres/demoSchema';

const EXIT = { ok: 0, drift: 1, usage: 2, backend: 3, internal: 4 } as const;

function connectionFrom(args: CliArgs): { profile: ConnectionProfile; secret: Secret } {
  const base = { id: 'cli', name: args.name, kind: 'postgres' };
  // The demo's default name is the one the editor's "Open Demo Database" uses, so the CodeLens finds it.
  if (args.demo || args.command === 'demo') return { profile: { ...base, demo: true, name: args.nameGiven ? args.name : DEMO_PROFILE_NAME }, secret: {} };
  let url = args.url;
  if (args.urlEnv) {
    url = process.env[args.urlEnv];
    if (!url) throw new PlugboardError('INVALID_CONFIG', `Environment variable ${args.urlEnv} is not set.`, { hint: 'Export it, or pass --url or --demo.' });
  }
  if (!url) throw new PlugboardError('INVALID_CONFIG', 'No connection given.', { hint: 'Pass --url-env VAR, --url URL or --demo.' });
  const parsed = parsePostgresConnectionString(url);
  const password = parsed.password ?? process.env.PGPASSWORD;
  redactor.register(password);
  const { password: _omit, ...fields } = parsed;
  return { profile: { ...base, ...fields }, secret: password ? { password } : {} };
}

function codegenOptions(args: CliArgs, profileName: string, targets: string[]): CodegenOptions {
  const pick = <T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined => {
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) throw new PlugboardError('INVALID_CONFIG', `--${flag} must be one of ${allowed.join(', ')}.`);
    return value as T;
  };
  return {
    profileName,
    targets,
    int8As: pick(args.int8As, INT8_AS, 'int8-as'),
    numericAs: pick(args.numericAs, NUMERIC_AS, 'numeric-as'),
    dateAs: pick(args.dateAs, DATE_AS, 'date-as'),
    templatesDir: args.templates ? path.resolve(args.templates) : undefined,
  };
}

function summary(model: SchemaModel): string {
  return model.namespaces
    .map((ns) => {
      const count = (kinds: string[]) => ns.entities.filter((e) => kinds.includes(e.kind)).length;
      return `  ${ns.name}: ${count(['table', 'partitioned_table', 'foreign_table'])} tables, ${count(['view', 'materialized_view'])} views, ${ns.enums.length} enums, ${ns.entities.reduce((n, e) => n + e.fields.length, 0)} columns`;
    })
    .join('\n');
}

function requireOut(args: CliArgs): string {
  if (!args.out) throw new PlugboardError('INVALID_CONFIG', `${args.command} needs --out DIR.`);
  return path.resolve(args.out);
}

/**
 * Everything the command needs that can be checked without a connection, checked before connecting: a bad
 * flag fails at once with exit 2, not after a slow connect and introspection (or with a connection error).
 */
function prepare(args: CliArgs, profile: ConnectionProfile): { out?: string; codegen?: CodegenOptions } {
  if (args.command === 'generate' || args.command === 'demo') {
    const codegen = codegenOptions(args, profile.name, args.targets ?? ['ts-types', 'pg-crud']);
    resolveTargets(profile.kind, codegen.targets);
    return { out: args.command === 'demo' ? path.resolve(args.out ?? 'demo-out') : requireOut(args), codegen };
  }
  if (args.command === 'check') return { out: requireOut(args) };
  return {};
}

async function run(args: CliArgs, plan: ReturnType<typeof prepare>, session: Session, print: (s: string) => void): Promise<number> {
  const introspect = () => session.introspect({ include: args.schemas, exclude: args.excludeSchemas });
  switch (args.command) {
    case 'health': {
      const report = await session.ping();
      print(args.json ? JSON.stringify(report, null, 2) : `ok  ${report.serverVersion}  ${report.latencyMs} ms`);
      return EXIT.ok;
    }
    case 'introspect': {
      const model = await introspect();
      print(args.json ? JSON.stringify(model, null, 2) : `${model.source.database ?? ''} (${model.source.serverVersion ?? ''})\n${summary(model)}`);
      return EXIT.ok;
    }
    case 'generate':
    case 'demo': {
      const out = plan.out!;
      const started = performance.now();
      const model = await introspect();
      const result = await generate(model, plan.codegen!);
      const written = await writeGeneratedFiles(out, result.files);
      const ms = Math.round(performance.now() - started);
      if (args.json) {
        print(JSON.stringify({ out, fingerprint: result.fingerprint, targets: result.targets, written: written.written, unchanged: written.unchanged }, null, 2));
      } else {
        print(`${summary(model)}\nGenerated ${result.targets.join(', ')} into ${out} in ${ms} ms (fingerprint ${result.fingerprint})`);
        print(`  ${written.written.length} written, ${written.unchanged.length} unchanged`);
        for (const f of [...written.written, ...written.unchanged].sort()) print(`  ${path.relative(process.cwd(), f)}`);
      }
      return EXIT.ok;
    }
    case 'check': {
      const out = plan.out!;
      const report = await checkDrift(out, await introspect());
      if (args.json) print(JSON.stringify(report, null, 2));
      if (!report.files.length) {
        if (!args.json) print(`No Plugboard-generated files in ${out}.`);
        return EXIT.drift;
      }
      if (!report.stale) {
        if (!args.json) print(`Up to date: ${report.files.length} files match the live schema (${report.live}).`);
        return EXIT.ok;
      }
      if (!args.json) {
        const stale = report.files.filter((f) => f.stale);
        print(`Schema drift: ${stale.length} of ${report.files.length} files were generated from another schema (live ${report.live}).`);
        print(report.changes.length ? formatChanges(report.changes) : '  (no snapshot to compare with; regenerate to see details next time)');
        print('Run `plugboard generate` (or "Plugboard: Regenerate Client") to update them.');
      }
      return EXIT.drift;
    }
    default:
      throw new PlugboardError('INVALID_CONFIG', `Unknown command "${args.command}".`, { hint: 'Run plugboard --help.' });
  }
}

export async function main(argv: string[], print: (s: string) => void = (s) => console.log(s), printErr = (s: string) => console.error(s)): Promise<number> {
  let session: Session | undefined;
  try {
    const args = parseCli(argv);
    if (args.help || !args.command) {
      print(USAGE);
      return args.help ? EXIT.ok : EXIT.usage;
    }
    if (!['introspect', 'generate', 'check', 'health', 'demo'].includes(args.command)) {
      throw new PlugboardError('INVALID_CONFIG', `Unknown command "${args.command}".`, { hint: 'Run plugboard --help.' });
    }
    const { profile, secret } = connectionFrom(args);
    const plan = prepare(args, profile);
    const adapter = await getAdapter(profile.kind);
    session = await adapter.connect(profile, secret);
    return await run(args, plan, session, print);
  } catch (raw) {
    const err = isPlugboardError(raw) ? raw : classifyError(raw);
    printErr(redactor.redact(`plugboard: ${err.toDisplayString()}`));
    if (err.code === 'INVALID_CONFIG') return EXIT.usage;
    return err.code === 'INTERNAL' ? EXIT.internal : EXIT.backend;
  } finally {
    await session?.close();
    const { stopDemoDatabase } = await import('../backends/postgres/demo');
    await stopDemoDatabase();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(redactor.redact(String(err)));
      process.exit(EXIT.internal);
    },
  );
}
