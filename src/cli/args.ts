import { parseArgs } from 'node:util';
import { PlugboardError } from '../core/errors';

export const USAGE = `Usage: plugboard <command> <connection> [options]

Commands:
  introspect   print the schema (a summary, or the model with --json)
  generate     write a typed client:  --target ts-types,pg-crud --out DIR
               --watch: keep it in step (re-introspect every --interval, regenerate on change; Ctrl-C stops)
  check        exit 1 when files in --out DIR were generated from another schema or other overrides
  health       ping the backend and print latency and server version
  advise       Supabase: print row-level security warnings; exit 1 when there is one
  demo         start the embedded demo database, generate a client into --out (default ./demo-out)

Connection (one of):
  --url URL          postgres://user@host:5432/db, mysql://…, mongodb://…, firestore://project,
                     supabase://<project-ref> or supabase://127.0.0.1:54321 (keys and the database URL from
                     SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY, SUPABASE_DB_URL)
                     (a password in the URL works, but prefer --url-env)
  --url-env VAR      read the URL from environment variable VAR (PGPASSWORD and the like are used when it has none)
  --provider P       a REST API: a provider definition file (.json) or the id of one in .plugboard/providers
    --var NAME=VALUE   a value for the definition's {{NAME}} (repeatable)
    --secret-env VAR   the API key, token, client secret or user:password, from environment variable VAR
  --demo             the embedded demo database (no server needed)

Options:
  --schema S         only this schema (repeatable)      --exclude-schema S   skip this schema (repeatable)
  --target LIST      codegen targets (default: the backend's defaults)
  --out DIR          output folder for generate / check / demo
  --name NAME        profile name written into file headers (default "cli")
  --templates DIR    folder with your own <target>.hbs templates
  --allow-rls-off    generate supabase-crud (an anon-key client) although tables have RLS off
  --overrides FILE   names, types and nullability for generated code (default .plugboard/overrides.json, if there)
  --watch            generate, then regenerate whenever the schema or the overrides change
  --interval MS      how often --watch re-introspects (default 5000; DDL notices, if set up, trigger at once)
  --timeout MS       deadline for each network step (default 30000)
  --int8-as string|number|bigint   --numeric-as string|number   --date-as Date|string
  --split-threshold N  split a schema's files into a folder of parts plus an index above N tables or
                     collections (default 200; 0 = never); imports of public.types etc. keep working
  --json             machine-readable output
  -h, --help         this text

Exit codes: 0 ok, 1 schema drift (check), 2 usage error, 3 connection or backend error, 4 internal error.`;

export const COMMANDS = ['introspect', 'generate', 'check', 'health', 'demo', 'advise'] as const;

export interface CliArgs {
  command: string;
  url?: string;
  urlEnv?: string;
  provider?: string;
  vars: Record<string, string>;
  secretEnv?: string;
  demo: boolean;
  schemas: string[];
  excludeSchemas: string[];
  targets?: string[];
  out?: string;
  name: string;
  /** --name was given (else the default for the command applies). */
  nameGiven: boolean;
  templates?: string;
  /** Generate an anon-key client although tables have row-level security off. */
  allowRlsOff: boolean;
  overrides?: string;
  watch: boolean;
  intervalMs: number;
  timeoutMs: number;
  int8As?: string;
  numericAs?: string;
  dateAs?: string;
  /** undefined: the profile's, else the default (DEFAULT_SPLIT_THRESHOLD). */
  splitThreshold?: number;
  json: boolean;
  help: boolean;
}

function usage(message: string): PlugboardError {
  return new PlugboardError('INVALID_CONFIG', message, { hint: 'Run plugboard --help.' });
}

export function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        'url-env': { type: 'string' },
        provider: { type: 'string' },
        var: { type: 'string', multiple: true },
        'secret-env': { type: 'string' },
        demo: { type: 'boolean', default: false },
        schema: { type: 'string', multiple: true },
        'exclude-schema': { type: 'string', multiple: true },
        target: { type: 'string' },
        out: { type: 'string' },
        name: { type: 'string' },
        templates: { type: 'string' },
        'allow-rls-off': { type: 'boolean', default: false },
        overrides: { type: 'string' },
        watch: { type: 'boolean', default: false },
        interval: { type: 'string' },
        timeout: { type: 'string' },
        'int8-as': { type: 'string' },
        'numeric-as': { type: 'string' },
        'date-as': { type: 'string' },
        'split-threshold': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw usage((err as Error).message);
  }
  const v = parsed.values;
  const vars: Record<string, string> = {};
  for (const pair of v.var ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw usage(`--var takes NAME=VALUE, got "${pair.slice(0, 40)}".`);
    vars[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const timeoutMs = v.timeout === undefined ? 30_000 : Number(v.timeout);
  if (!/^\d+$/.test(v.timeout ?? '0') || timeoutMs < 100 || timeoutMs > 3_600_000) throw usage('--timeout takes milliseconds, 100 to 3600000.');
  const intervalMs = v.interval === undefined ? 5_000 : Number(v.interval);
  if (!/^\d+$/.test(v.interval ?? '0') || intervalMs < 100 || intervalMs > 86_400_000) throw usage('--interval takes milliseconds, 100 to 86400000.');
  if ((v.watch || v.interval !== undefined) && parsed.positionals[0] !== 'generate') throw usage('--watch and --interval go with generate.');
  const split = v['split-threshold'];
  if (split !== undefined && (!/^\d{1,7}$/.test(split) || Number(split) > 1_000_000)) throw usage('--split-threshold takes a number of entities, 0 (never split) to 1000000.');
  return {
    command: parsed.positionals[0] ?? '',
    url: v.url,
    urlEnv: v['url-env'],
    provider: v.provider,
    vars,
    secretEnv: v['secret-env'],
    demo: v.demo ?? false,
    schemas: v.schema ?? [],
    excludeSchemas: v['exclude-schema'] ?? [],
    targets: v.target?.split(',').map((t) => t.trim()).filter(Boolean),
    out: v.out,
    name: v.name ?? 'cli',
    nameGiven: v.name !== undefined,
    templates: v.templates,
    allowRlsOff: v['allow-rls-off'] ?? false,
    overrides: v.overrides,
    watch: v.watch ?? false,
    intervalMs,
    timeoutMs,
    int8As: v['int8-as'],
    numericAs: v['numeric-as'],
    dateAs: v['date-as'],
    splitThreshold: split === undefined ? undefined : Number(split),
    json: v.json ?? false,
    help: v.help ?? false,
  };
}
