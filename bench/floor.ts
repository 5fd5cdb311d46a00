/**
 * The whole-process floor: the least a schema-to-TypeScript tool can do as a process of its own. Node starts,
 * loads `pg`, connects, runs one catalog query (every column of every user table with its type and
 * nullability), writes one interface per table into a file, and exits. No model, no options, no header.
 *
 * Usage: node out/bench/floor.js <postgres-url> <out-file>
 */
import { writeFileSync } from 'node:fs';
import { Client } from 'pg';

const SQL = `
SELECT n.nspname AS ns, c.relname AS rel, a.attname AS col, t.typname AS typ, a.attnotnull AS nn
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
WHERE c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY n.nspname, c.relname, a.attnum`;

const TS: Record<string, string> = {
  int2: 'number', int4: 'number', float4: 'number', float8: 'number', oid: 'number',
  int8: 'string', numeric: 'string', text: 'string', varchar: 'string', bpchar: 'string', uuid: 'string', inet: 'string',
  interval: 'string', time: 'string', bool: 'boolean', date: 'Date', timestamp: 'Date', timestamptz: 'Date',
  json: 'unknown', jsonb: 'unknown', bytea: 'Buffer',
};

const tsType = (typ: string): string => (typ.startsWith('_') ? `${tsType(typ.slice(1))}[]` : (TS[typ] ?? 'string'));
const ident = (s: string) => s.replace(/(^|_)([a-z0-9])/g, (_, _u: string, ch: string) => ch.toUpperCase());

async function main(): Promise<void> {
  const [url, out] = process.argv.slice(2);
  if (!url || !out) throw new Error('usage: floor.js <postgres-url> <out-file>');
  const client = new Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ ns: string; rel: string; col: string; typ: string; nn: boolean }>(SQL);
  await client.end();
  const lines: string[] = [];
  let current = '';
  for (const r of rows) {
    const key = `${r.ns}.${r.rel}`;
    if (key !== current) {
      if (current) lines.push('}', '');
      current = key;
      lines.push(`export interface ${ident(r.ns)}${ident(r.rel)} {`);
    }
    lines.push(`  ${JSON.stringify(r.col)}: ${tsType(r.typ)}${r.nn ? '' : ' | null'};`);
  }
  if (current) lines.push('}');
  writeFileSync(out, `${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
