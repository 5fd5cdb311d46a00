import type { Client } from 'pg';
import { COLUMNS_SQL, CONSTRAINTS_SQL, INDEXES_SQL, TYPES_SQL } from '../src/adapters/postgres/catalog';
import { buildModel } from '../src/adapters/postgres/introspect';

/** Small timing helpers shared by the benchmark. */

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function timed<T>(fn: () => Promise<T>): Promise<[ms: number, value: T]> {
  const t0 = performance.now();
  const value = await fn();
  return [performance.now() - t0, value];
}

/**
 * The floor: one query returning every column of every user table, the least any introspection that reports
 * columns with their types has to do. Same process, same driver, warm connection.
 */
export const FLOOR_SQL = `
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND a.attnum > 0 AND NOT a.attisdropped`;

export interface Breakdown {
  columns: number;
  constraints: number;
  indexes: number;
  types: number;
  build: number;
  rows: { columns: number; constraints: number; indexes: number; types: number };
}

/**
 * Where introspection time goes: each catalog query alone on one warm connection (median of `runs`), and the
 * JS model building on the rows they returned. Diagnostic only; it explains the ratio, it is not the ratio.
 */
export async function breakdown(client: Client, runs: number): Promise<Breakdown> {
  const params = [null, []];
  const one = async (sql: string) => {
    const times: number[] = [];
    let rows: any[] = [];
    for (let i = 0; i < runs + 1; i++) {
      const [ms, r] = await timed(() => client.query(sql, params));
      if (i > 0) times.push(ms); // the first run warms the plan and the caches
      rows = r.rows;
    }
    return { ms: median(times), rows };
  };
  const cols = await one(COLUMNS_SQL);
  const cons = await one(CONSTRAINTS_SQL);
  const idx = await one(INDEXES_SQL);
  const typ = await one(TYPES_SQL);
  const builds: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const t0 = performance.now();
    buildModel({ database: 'x', serverVersion: 'x' }, cols.rows, cons.rows, idx.rows, typ.rows);
    if (i > 0) builds.push(performance.now() - t0);
  }
  return {
    columns: cols.ms,
    constraints: cons.ms,
    indexes: idx.ms,
    types: typ.ms,
    build: median(builds),
    rows: { columns: cols.rows.length, constraints: cons.rows.length, indexes: idx.rows.length, types: typ.rows.length },
  };
}
