import type { Client } from 'pg';
import { catalogQueries } from '../src/backends/postgres/catalog';
import { modelFromCatalog, parseCatalogResult, type CatalogResult } from '../src/backends/postgres/introspect';

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
  /** Per catalog query: median ms alone on one warm connection, JSON parse included; entries returned. */
  queries: { part: string; ms: number; entries: number }[];
  /** Building the model from the parsed results. */
  build: number;
}

/**
 * Where introspection time goes: each catalog query alone on one warm connection (median of `runs`), and the
 * JS model building on the results. Diagnostic only; it explains the ratio, it is not the ratio.
 */
export async function breakdown(client: Client, runs: number): Promise<Breakdown> {
  const queries: Breakdown['queries'] = [];
  const results: CatalogResult[] = [];
  for (const q of catalogQueries(null, [])) {
    const times: number[] = [];
    let result: CatalogResult | undefined;
    for (let i = 0; i < runs + 1; i++) {
      const [ms, r] = await timed(async () => parseCatalogResult(q.part, (await client.query(q.text, q.values)).rows));
      if (i > 0) times.push(ms); // the first run warms the plan and the caches
      result = r;
    }
    results.push(result!);
    queries.push({ part: q.part, ms: median(times), entries: entries(result!) });
  }
  const builds: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const t0 = performance.now();
    modelFromCatalog(results);
    if (i > 0) builds.push(performance.now() - t0);
  }
  return { queries, build: median(builds) };
}

/** Rows, or the length of the document's main array (columns, constraints, indexes, functions, views). */
function entries(r: CatalogResult): number {
  if (r.part === 'types') return r.rows.length;
  if (r.part === 'columns') return r.doc.cols.rel?.length ?? 0;
  if (r.part === 'constraints') return r.doc.rel?.length ?? 0;
  if (r.part === 'functions') return r.doc.fns?.length ?? 0;
  if (r.part === 'views') return r.doc.views.oid?.length ?? 0;
  return r.doc.idx.rel?.length ?? 0;
}
