/**
 * Document schema inference against mongodb-schema (what MongoDB Compass uses) on the same messy documents:
 * 1,000 and 10,000 of them, generated from a seed, as the driver hands them to a sampling cursor (BSON
 * round-tripped with `promoteValues: false`: Int32, Double, Long, Decimal128, ObjectId, Binary, Date…).
 *
 * Ours runs through the MongoDB backend's own BSON classifier (src/backends/mongodb/classifier.ts), the one
 * its introspection samples with.
 * mongodb-schema is timed twice: `storeValues: false` (the same work as ours: types and counts) and its
 * default (it also keeps sample values). Each side: warm-up runs, then alternating timed runs, median.
 *
 * `benchInference()` returns rows for a bench runner; `node out/bench/infer.js` prints them as a table.
 */
import { Binary, Decimal128, deserialize, Double, Int32, Long, ObjectId, serialize, Timestamp, UUID } from 'bson';
import { parseSchema } from 'mongodb-schema';
import { bsonClassifier } from '../src/backends/mongodb/classifier';
import { inferFields } from '../src/core/introspect/infer';

export interface Row {
  docs: number;
  runs: number;
  /** Median ms of `inferFields`. */
  oursMs: number;
  /** Median ms of mongodb-schema `parseSchema(docs, { storeValues: false })`. */
  theirsMs: number;
  /** Median ms of mongodb-schema with its defaults (sample values kept). */
  theirsDefaultMs: number;
  /** oursMs / theirsMs: below 1 means ours is faster. */
  ratio: number;
  /** oursMs / theirsDefaultMs. */
  ratioDefault: number;
  /** Top-level fields inferred, and whether mongodb-schema found the same names. */
  fields: number;
  sameTopLevelFields: boolean;
}

const SIZES = [
  { docs: 1_000, runs: 15 },
  { docs: 10_000, runs: 7 },
];
const WARMUP = 2;

export async function benchInference(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of SIZES) rows.push(await benchSize(size.docs, size.runs));
  return rows;
}

async function benchSize(count: number, runs: number): Promise<Row> {
  const docs = messyBsonDocuments(count, 20_240_601 + count);
  const ours = () => inferFields(docs, bsonClassifier);
  const theirs = () => parseSchema(docs, { storeValues: false });
  const theirsDefault = () => parseSchema(docs);
  for (let i = 0; i < WARMUP; i++) {
    ours();
    await theirs();
    await theirsDefault();
  }
  const times = { ours: [] as number[], theirs: [] as number[], theirsDefault: [] as number[] };
  for (let i = 0; i < runs; i++) {
    times.ours.push(await timed(async () => ours()));
    times.theirs.push(await timed(theirs));
    times.theirsDefault.push(await timed(theirsDefault));
  }
  const fields = ours().fields.map((f) => f.name);
  const theirFields = (await theirs()).fields.map((f) => f.name);
  const [o, t, d] = [median(times.ours), median(times.theirs), median(times.theirsDefault)];
  return {
    docs: count,
    runs,
    oursMs: o,
    theirsMs: t,
    theirsDefaultMs: d,
    ratio: o / t,
    ratioDefault: o / d,
    fields: fields.length,
    sameTopLevelFields: [...fields].sort().join('\n') === [...theirFields].sort().join('\n'),
  };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

// ---- Messy documents from a seed ----

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Orders as an application that changed over the years would have written them: optional and renamed
 * fields, prices as Decimal128, Double or text, quantities as Int32 or Long, nested customers and addresses,
 * arrays of line objects of varying shape, free-form attribute maps, the odd Binary and UUID.
 */
export function messyBsonDocuments(count: number, seed: number): Record<string, unknown>[] {
  const r = seeded(seed);
  const chance = (p: number) => r() < p;
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const hex = (n: number) => n.toString(16).padStart(24, '0');
  const price = () => (chance(0.8) ? Decimal128.fromString((int(100_000) / 100).toFixed(2)) : chance(0.75) ? new Double(r() * 1000) : `${int(1000)}.00`);
  const docs: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const doc: Record<string, unknown> = {
      _id: new ObjectId(hex(i + 1)),
      number: chance(0.97) ? new Int32(i) : new Long(i),
      status: pick(['new', 'paid', 'shipped', 'cancelled']),
      createdAt: new Date(1_600_000_000_000 + i * 60_000),
      total: price(),
      lines: Array.from({ length: int(6) }, () => {
        const line: Record<string, unknown> = { sku: `SKU-${int(500)}`, qty: chance(0.9) ? new Int32(1 + int(5)) : Long.fromNumber(1 + int(5)), price: price() };
        if (chance(0.3)) line.options = Array.from({ length: 1 + int(3) }, () => ({ k: pick(['size', 'colour', 'gift']), v: chance(0.8) ? pick(['S', 'M', 'red']) : true }));
        if (chance(0.1)) line.discount = { kind: pick(['pct', 'abs']), value: new Double(r() * 20) };
        return line;
      }),
      tags: chance(0.2) ? [] : Array.from({ length: 1 + int(4) }, () => (chance(0.95) ? pick(['vip', 'promo', 'b2b', 'gift']) : new Int32(int(9)))),
    };
    if (chance(0.9)) {
      const customer: Record<string, unknown> = { name: `Customer ${int(5000)}` };
      if (chance(0.7)) customer.email = chance(0.95) ? `c${i}@example.test` : null;
      if (chance(0.8)) customer.address = { city: pick(['Oslo', 'Rome', 'Lima']), zip: chance(0.85) ? `${int(99_999)}` : new Int32(int(99_999)), ...(chance(0.3) ? { geo: { lat: new Double(r() * 90), lng: new Double(r() * 180) } } : {}) };
      doc.customer = customer;
    }
    if (chance(0.6)) doc.updatedAt = chance(0.9) ? new Date(1_700_000_000_000 + i) : null;
    if (chance(0.5)) doc.attrs = Object.fromEntries(Array.from({ length: 1 + int(6) }, () => [`attr${int(30)}`, chance(0.7) ? pick(['a', 'b']) : new Int32(int(100))]));
    if (chance(0.15)) doc.legacy = chance(0.5) ? 'imported' : { source: 'v1', id: new Long(i) };
    if (chance(0.05)) doc.receipt = new Binary(Buffer.from(`receipt ${i}`));
    if (chance(0.1)) doc.trackingId = new UUID();
    if (chance(0.02)) doc.syncedAt = new Timestamp({ t: i, i: 1 });
    doc.paid = chance(0.5);
    docs.push(doc);
  }
  // What a sampling cursor returns: the driver's own decoding, numbers kept as their BSON classes.
  return docs.map((d) => deserialize(serialize(d), { promoteValues: false }) as Record<string, unknown>);
}

export function printInference(rows: readonly Row[]): void {
  const f1 = (n: number) => n.toFixed(1);
  const table = [
    ['docs', 'runs', 'ours ms', 'mongodb-schema ms', 'ratio', 'with values ms', 'ratio', 'fields', 'same fields'],
    ...rows.map((x) => [x.docs.toLocaleString('en-US'), `${x.runs}`, f1(x.oursMs), f1(x.theirsMs), `${x.ratio.toFixed(3)}x`, f1(x.theirsDefaultMs), `${x.ratioDefault.toFixed(3)}x`, `${x.fields}`, x.sameTopLevelFields ? 'yes' : 'NO']),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padStart(widths[c]!)).join('  ');
  console.log(`Schema inference: ours vs mongodb-schema (storeValues: false; then its defaults), median ms, node ${process.version}`);
  console.log([line(table[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...table.slice(1).map(line)].join('\n'));
}

if (require.main === module) {
  benchInference().then(printInference, (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  });
}
