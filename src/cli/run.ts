import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BACKENDS } from '../backends';
import type { BackendModule, HostServices, Session } from '../core/backend';
import { BackendCatalog } from '../core/catalog';
import { defaultTargets, resolveTargets } from '../core/codegen/generate';
import { overridesPath, readOverrides, type LoadedOverrides } from '../core/codegen/overrides/file';
import { generationInputs } from '../core/codegen/overrides/resolve';
import { DATE_AS, INT8_AS, NUMERIC_AS, type MappingOverrides } from '../core/codegen/types';
import { withDeadline } from '../core/deadline';
import { adviseRls, hasRlsFacts } from '../core/advise/rls';
import { PlugboardError } from '../core/errors';
import { formatChanges } from '../core/introspect/diff';
import type { SchemaModel } from '../core/model';
import { MemorySecretStore } from '../core/profiles/secrets';
import { SchemaService } from '../core/schemaService';
import { SessionManager } from '../core/sessions';
import type { CliArgs } from './args';
import { EXIT, reportError } from './exit';
import { cliConnection, type CliConnection } from './connection';
import { printWarnings, type Printer } from './warnings';
import { watchGenerate } from './watch';


function mappingOverrides(args: CliArgs): MappingOverrides & { splitThreshold?: number } {
  const pick = <T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined => {
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) throw new PlugboardError('INVALID_CONFIG', `--${flag} must be one of ${allowed.join(', ')}.`);
    return value as T;
  };
  return {
    int8As: pick(args.int8As, INT8_AS, 'int8-as'),
    numericAs: pick(args.numericAs, NUMERIC_AS, 'numeric-as'),
    dateAs: pick(args.dateAs, DATE_AS, 'date-as'),
    splitThreshold: args.splitThreshold,
  };
}

/** `  public: 11 tables, 2 views, 2 enums, 84 columns` — documents and endpoints counted as what they are. */
function summary(model: SchemaModel): string {
  return model.namespaces
    .map((ns) => {
      const count = (kinds: string[]) => ns.entities.filter((e) => kinds.includes(e.kind)).length;
      const documents = count(['collection']);
      const endpoints = count(['endpoint']);
      const parts: string[] = [];
      if (documents) parts.push(`${documents} collections`);
      if (endpoints) parts.push(`${endpoints} endpoints`);
      if (!documents && !endpoints) parts.push(`${count(['table', 'partitioned_table', 'foreign_table'])} tables`, `${count(['view', 'materialized_view'])} views`, `${ns.enums.length} enums`);
      if (ns.functions.length) parts.push(`${ns.functions.length} functions`);
      const fields = ns.entities.reduce((n, e) => n + e.fields.length, 0);
      return `  ${ns.name}: ${parts.join(', ')}, ${fields} ${documents || endpoints ? 'fields' : 'columns'}`;
    })
    .join('\n');
}

/** Every --schema must name a schema the server has: one that is not there is an error, never an empty result. */
function requireSchemas(filter: { include?: string[] } | undefined, model: SchemaModel): void {
  const missing = (filter?.include ?? []).filter((name) => !model.namespaces.some((ns) => ns.name === name));
  if (!missing.length) return;
  throw new PlugboardError('NOT_FOUND', `No schema ${missing.map((s) => JSON.stringify(s)).join(', ')} on this server (or nothing in it Plugboard reads).`, {
    hint: 'Check --schema; `plugboard introspect` without it lists them all.',
  });
}

export interface Plan {
  backend: BackendModule;
  out?: string;
  targets?: string[];
  templatesDir?: string;
  /** Where the overrides file is (read again each round in --watch) and what it said at the start. */
  overridesAt?: { file: string; required: boolean };
  overrides?: LoadedOverrides;
}

/** `--overrides FILE`, else `.plugboard/overrides.json` when there is one (the demo only takes the flag). */
async function loadOverrides(args: CliArgs): Promise<Pick<Plan, 'overridesAt' | 'overrides'>> {
  if (args.command === 'demo' && !args.overrides) return {};
  const overridesAt = args.overrides ? { file: path.resolve(args.overrides), required: true } : overridesPath(process.cwd());
  return { overridesAt, overrides: await readOverrides(overridesAt.file, overridesAt.required) };
}


/**
 * Everything the command needs that can be checked without a connection, checked before connecting: a bad
 * flag fails at once with exit 2, not after a slow connect and introspection (or with a connection error).
 */
async function prepare(args: CliArgs, conn: CliConnection, backends: BackendCatalog): Promise<Plan> {
  const needOut = () => {
    if (args.command === 'demo') return path.resolve(args.out ?? 'demo-out');
    if (!args.out) throw new PlugboardError('INVALID_CONFIG', `${args.command} needs --out DIR.`);
    return path.resolve(args.out);
  };
  if (args.command === 'generate' || args.command === 'demo') {
    const backend = backends.get(conn.profile.kind);
    const targets = args.targets ?? defaultTargets(backend.targets);
    resolveTargets(backend.targets, targets, `${backend.label} connections`);
    mappingOverrides(args);
    let templatesDir: string | undefined;
    if (args.templates) {
      templatesDir = path.resolve(args.templates);
      const stat = await fs.stat(templatesDir).catch(() => undefined);
      if (!stat?.isDirectory()) throw new PlugboardError('INVALID_CONFIG', `--templates ${args.templates}: no such folder.`, { hint: 'Point it at a folder of <target>.hbs files, or leave it out to use the built-in templates.' });
    }
    return { backend, out: needOut(), targets, templatesDir, ...(await loadOverrides(args)) };
  }
  if (args.command === 'check') return { backend: backends.get(conn.profile.kind), out: needOut(), ...(await loadOverrides(args)) };
  return { backend: backends.get(conn.profile.kind) };
}

async function run(args: CliArgs, plan: Plan, conn: CliConnection, schemas: SchemaService, session: Session, print: Printer, printErr: Printer): Promise<number> {
  const filter = args.schemas.length || args.excludeSchemas.length ? { include: args.schemas.length ? args.schemas : undefined, exclude: args.excludeSchemas } : undefined;
  const step = <T>(work: Promise<T>, what: string) => withDeadline(work, args.timeoutMs, what);
  switch (args.command) {
    case 'health': {
      const report = await step(session.ping(), 'The health check');
      print(args.json ? JSON.stringify(report, null, 2) : `ok  ${report.serverVersion}  ${report.latencyMs} ms`);
      return EXIT.ok;
    }
    case 'introspect': {
      const model = await step(schemas.model(conn.profile, { filter, fresh: true }), 'Introspection');
      requireSchemas(filter, model);
      print(args.json ? JSON.stringify(model, null, 2) : `${model.source.database ?? ''} (${model.source.serverVersion ?? ''})\n${summary(model)}`);
      return EXIT.ok;
    }
    case 'generate':
    case 'demo': {
      const started = performance.now();
      // Only for generating: the backend may skip what generated code never depends on (PostgreSQL: indexes).
      const model = await step(schemas.model(conn.profile, { filter: { ...filter, forGeneration: true }, fresh: true }), 'Introspection');
      requireSchemas(filter, model);
      confirmRlsOff(plan.backend, model, plan.targets!, args.allowRlsOff);
      const outcome = await schemas.generate(conn.profile, { targets: plan.targets!, outDir: plan.out!, templatesDir: plan.templatesDir, model, overrides: plan.overrides, ...mappingOverrides(args) });
      const ms = Math.round(performance.now() - started);
      printWarnings(outcome.warnings, printErr);
      if (args.json) {
        const { outDir: out, fingerprint, inputs, targets, written, unchanged, warnings } = outcome;
        print(JSON.stringify({ out, fingerprint, inputs, targets, written, unchanged, warnings }, null, args.watch ? undefined : 2));
      } else {
        print(`${summary(model)}\nGenerated ${outcome.targets.join(', ')} into ${outcome.outDir} in ${ms} ms (fingerprint ${outcome.fingerprint})`);
        print(`  ${outcome.written.length} written, ${outcome.unchanged.length} unchanged`);
        for (const f of [...outcome.written, ...outcome.unchanged].sort()) print(`  ${path.relative(process.cwd(), f)}`);
      }
      if (args.watch) {
        await watchGenerate({ args, plan, profile: conn.profile, schemas, session, filter, mapping: mappingOverrides(args), baseline: outcome, print, printErr });
      }
      return EXIT.ok;
    }
    case 'advise': {
      const model = await step(schemas.model(conn.profile, { filter, fresh: true }), 'Introspection');
      if (!hasRlsFacts(model)) {
        throw new PlugboardError('INVALID_CONFIG', `${conn.profile.kind} connections carry no row-level security facts to advise on.`, {
          hint: 'Use a Supabase connection: --url supabase://<project-ref> with SUPABASE_ANON_KEY and SUPABASE_DB_URL set.',
        });
      }
      const advice = adviseRls(model);
      if (args.json) print(JSON.stringify(advice, null, 2));
      else if (!advice.length) print(`No row-level security warnings for ${model.namespaces.map((n) => n.name).join(', ')}.`);
      else for (const a of advice) print(`${a.severity.padEnd(7)} ${a.code.padEnd(23)} ${a.entity.namespace}.${a.entity.entity}  ${a.message}`);
      return advice.length ? EXIT.advice : EXIT.ok;
    }
    case 'check': {
      const out = plan.out!;
      // Files from 0.1.x are compared by a fingerprint that has indexes; any other only by what generation reads.
      const [{ readGeneratedHeaders }, { hashedAsLegacy }] = await Promise.all([import('../core/codegen/headerFiles'), import('../core/introspect/fingerprint')]);
      const legacy = (await readGeneratedHeaders(out)).some(({ header }) => hashedAsLegacy(header.version));
      const live = await step(schemas.model(conn.profile, { filter: { ...filter, forGeneration: !legacy }, fresh: true }), 'Introspection');
      requireSchemas(filter, live);
      const { checkDrift } = await import('../core/introspect/drift');
      const report = await checkDrift(out, live, generationInputs(plan.overrides));
      if (args.json) print(JSON.stringify(report, null, 2));
      if (!report.files.length) {
        if (!args.json) print(`No Plugboard-generated files in ${out}.`);
        return EXIT.drift;
      }
      if (!report.stale && report.settingsChanged) {
        if (!args.json) {
          const changed = report.files.filter((f) => f.settingsChanged).length;
          print(`Settings changed: ${changed} of ${report.files.length} files match the live schema but were generated with other overrides${plan.overridesAt ? ` than ${path.relative(process.cwd(), plan.overridesAt.file)}` : ''}.`);
          print('Run `plugboard generate` (or "Plugboard: Regenerate Client") to update them.');
        }
        return EXIT.drift;
      }
      if (!report.stale) {
        if (!args.json) print(`Up to date: ${report.files.length} files match the live schema (${report.live}).`);
        return EXIT.ok;
      }
      if (!args.json) {
        const stale = report.files.filter((f) => f.stale);
        print(`Schema drift: ${stale.length} of ${report.files.length} files were generated from another schema (live ${report.live}).`);
        if (report.changes.length) print(formatChanges(report.changes));
        else if (report.snapshot === 'read') print('  (the snapshot beside them shows no difference in tables, fields or types: the files were generated by another Plugboard version or with other settings)');
        else print(`  (${report.snapshot === 'missing' ? 'no' : 'an unreadable'} plugboard.schema.json beside them, so the changes cannot be listed; regenerate to see details next time)`);
        print('Run `plugboard generate` (or "Plugboard: Regenerate Client") to update them.');
      }
      return EXIT.drift;
    }
    default:
      throw new PlugboardError('INVALID_CONFIG', `Unknown command "${args.command}".`, { hint: 'Run plugboard --help.' });
  }
}

/** An anon-key client for tables with RLS off is generated only when the user says so (--allow-rls-off). */
/** The backend's own question before generating (Supabase: an anon-key client over tables without RLS). */
function confirmRlsOff(backend: BackendModule, model: SchemaModel, targets: string[], allowed: boolean): void {
  const needed = backend.confirmGeneration?.(model, targets);
  if (needed && !allowed) throw new PlugboardError('INVALID_CONFIG', needed.message, { hint: 'Pass --allow-rls-off to generate it anyway.' });
}

/**
 * Runs one parsed command (the CLI's entry, src/cli/main.ts, loads this module only when there is one to
 * run: `plugboard --help` never loads a backend, zod or the code generator).
 */
export async function runCommand(args: CliArgs, print: Printer, printErr: Printer): Promise<number> {
  const backends = new BackendCatalog(BACKENDS);
  let sessions: SessionManager | undefined;
  try {
    const conn = await cliConnection(args, backends);
    const plan = await prepare(args, conn, backends);
    const host: Omit<HostServices, 'signal'> = {
      log: () => undefined,
      secrets: new MemorySecretStore(),
      fetch: (input, init) => globalThis.fetch(input, init),
      providers: conn.providers,
      timeoutMs: args.timeoutMs,
    };
    const connect = async (profile: typeof conn.profile, signal?: AbortSignal) => (await backends.driver(profile.kind)).connect(profile, conn.secret, { ...host, signal });
    sessions = new SessionManager(connect);
    const schemas = new SchemaService(backends, sessions);
    const session = await withDeadline(sessions.get(conn.profile), args.timeoutMs + 1_000, 'Connecting');
    return await run(args, plan, conn, schemas, session, print, printErr);
  } catch (raw) {
    return reportError(raw, printErr);
  } finally {
    await sessions?.closeAll();
    await backends.disposeAll();
  }
}
