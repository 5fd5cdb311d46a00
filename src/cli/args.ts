import { parseArgs } from 'node:util';
import { PlugboardError } from '../core/errors';

export const USAGE = `Usage: plugboard <command> <connection> [options]

Commands:
  introspect   print the schema (a summary, or the model with --json)
  generate     write a typed client:  --target ts-types,pg-crud --out DIR
  check        exit 1 when files in --out DIR were generated from another schema
  health       ping the backend and print latency and server version
  demo         start the embedded demo database, generate a client into --out (default ./demo-out)

Connection (one of):
  --url URL          postgres://user@host:5432/db (a password in the URL works, but prefer --url-env)
  --url-env VAR      read the URL from environment variable VAR (PGPASSWORD is used when it has none)
  --demo             the embedded demo database (no server needed)

Options:
  --schema S         only this schema (repeatable)      --exclude-schema S   skip this schema (repeatable)
  --target LIST      codegen targets (default: all for the kind)
  --out DIR          output folder for generate / check / demo
  --name NAME        profile name written into file headers (default "cli")
  --templates DIR    folder with your own <target>.hbs templates
  --int8-as string|number|bigint   --numeric-as string|number   --date-as Date|string
  --json             machine-readable output
  -h, --help         this text

Exit codes: 0 ok, 1 schema drift (check), 2 usage error, 3 connection or backend error, 4 internal error.`;

export interface CliArgs {
  command: string;
  url?: string;
  urlEnv?: string;
  demo: boolean;
  schemas: string[];
  excludeSchemas: string[];
  targets?: string[];
  out?: string;
  name: string;
  /** --name was given (else the default for the command applies). */
  nameGiven: boolean;
  templates?: string;
  int8As?: string;
  numericAs?: string;
  dateAs?: string;
  json: boolean;
  help: boolean;
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
        demo: { type: 'boolean', default: false },
        schema: { type: 'string', multiple: true },
        'exclude-schema': { type: 'string', multiple: true },
        target: { type: 'string' },
        out: { type: 'string' },
        name: { type: 'string' },
        templates: { type: 'string' },
        'int8-as': { type: 'string' },
        'numeric-as': { type: 'string' },
        'date-as': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new PlugboardError('INVALID_CONFIG', (err as Error).message, { hint: 'Run plugboard --help.' });
  }
  const v = parsed.values;
  return {
    command: parsed.positionals[0] ?? '',
    url: v.url,
    urlEnv: v['url-env'],
    demo: v.demo ?? false,
    schemas: v.schema ?? [],
    excludeSchemas: v['exclude-schema'] ?? [],
    targets: v.target?.split(',').map((t) => t.trim()).filter(Boolean),
    out: v.out,
    name: v.name ?? 'cli',
    nameGiven: v.name !== undefined,
    templates: v.templates,
    int8As: v['int8-as'],
    numericAs: v['numeric-as'],
    dateAs: v['date-as'],
    json: v.json ?? false,
    help: v.help ?? false,
  };
}
