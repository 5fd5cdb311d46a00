/**
 * A value classifier for plain JavaScript values, for testing the inference core without a driver: JSON
 * values, Dates, bigints, and two "driver classes" standing in for a document database's own types (an
 * object id and a document reference), which must not be walked as objects.
 */
import type { Classified, ValueClassifier } from '../../src/core/introspect/infer';

export class ObjectIdLike {
  constructor(readonly hex: string) {}
}

/** A reference to `path` (`users/u1`, `users/u1/orders/o7`); its collection is the path minus the last id. */
export class RefLike {
  constructor(readonly path: string) {}
  get collection(): string {
    return this.path.split('/').slice(0, -1).join('/');
  }
}

export const plainClassifier: ValueClassifier = {
  classify(value: unknown): Classified | undefined {
    if (value === undefined) return undefined;
    if (value === null) return { type: 'null', nativeType: 'null' };
    switch (typeof value) {
      case 'string':
        return { type: 'string', nativeType: 'string' };
      case 'number':
        return Number.isInteger(value) ? { type: 'integer', nativeType: 'int' } : { type: 'float', nativeType: 'double' };
      case 'boolean':
        return { type: 'boolean', nativeType: 'bool' };
      case 'bigint':
        return { type: 'bigint', nativeType: 'long' };
      case 'object':
        break;
      default:
        return { type: 'unknown', nativeType: typeof value };
    }
    if (Array.isArray(value)) return { type: 'array', nativeType: 'array', elements: value };
    if (value instanceof Date) return { type: 'timestamptz', nativeType: 'date' };
    if (value instanceof ObjectIdLike) return { type: 'objectid', nativeType: 'objectId' };
    if (value instanceof RefLike) return { type: 'reference', nativeType: 'reference', refPath: value.collection };
    if (value instanceof Map) return { type: 'object', nativeType: 'map', entries: value.entries() as Iterable<[string, unknown]> };
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto === Object.prototype || proto === null) return { type: 'object', nativeType: 'object', entries: Object.entries(value) };
    return { type: 'unknown', nativeType: 'unknown' };
  }
};

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so shuffles and generated data repeat. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Documents with nested objects, arrays of objects, optional and mixed-type fields, from a seed. */
export function messyDocuments(count: number, seed: number): Record<string, unknown>[] {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const doc: Record<string, unknown> = { _id: new ObjectIdLike(i.toString(16)), name: `item ${i}` };
    if (random() < 0.8) doc.price = random() < 0.9 ? Math.round(random() * 1000) : random() * 10;
    if (random() < 0.5) doc.note = random() < 0.2 ? null : 'text';
    doc.meta = random() < 0.1 ? 'legacy' : { created: new Date(i), by: pick(['a', 'b', null]), [`tag${i % 45}`]: true };
    doc.lines = Array.from({ length: Math.floor(random() * 3) }, () => (random() < 0.9 ? { sku: 'x', qty: pick([1, 2, '3']) } : pick(['loose', 7])));
    if (random() < 0.3) doc.deep = { l2: { l3: { l4: { l5: [{ l6: 1 }] } } } };
    if (random() < 0.2) doc.owner = new RefLike(`users/u${i % 3}`);
    return doc;
  });
}
