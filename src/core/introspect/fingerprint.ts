import { crypto } from '../crypto';
import type { Entity, Field, Routine, SchemaModel, ValueShape } from '../model';
import { v1Projection } from '../model/legacy';
import { Slicer } from '../slices';

/**
 * Normalises a model so that equal schemas give equal data whatever order the backend returned things in:
 * namespaces, entities, enums, domains, composites, functions, keys, indexes and relations sorted by name;
 * fields keep their order (column order is part of the schema). What only describes the server (its version,
 * the database's name) is dropped; a REST provider's settings stay (they shape the generated client).
 */
export function normaliseModel(model: SchemaModel): SchemaModel {
  return {
    version: model.version,
    source: model.source.provider ? { kind: model.source.kind, provider: model.source.provider } : { kind: model.source.kind },
    namespaces: [...model.namespaces].sort(byName).map((ns) => ({
      ...ns,
      entities: [...ns.entities].sort(byName).map((e) => ({
        ...e,
        uniques: [...e.uniques].sort(byName),
        indexes: [...e.indexes].sort(byName),
        relations: [...e.relations].sort(byName),
      })),
      enums: [...ns.enums].sort(byName),
      domains: [...ns.domains].sort(byName),
      composites: [...ns.composites].sort(byName),
      functions: [...ns.functions].sort(byRoutine),
    })),
  };
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const signature = (r: Routine) => `${r.name}(${r.args.map((a) => a.nativeType).join(',')})`;
const byRoutine = (a: Routine, b: Routine) => byName({ name: signature(a) }, { name: signature(b) });

/**
 * What generated code depends on, and nothing else: no indexes, no row counts or sample statistics, no
 * confidence, no row-level security policies, no server version or database name. So adding an index, or sampling the same documents again,
 * is not drift; a changed comment is (it is in the generated JSDoc).
 */
export function generationView(model: SchemaModel): unknown {
  return view(model, false);
}

/**
 * The snapshot's model: the generation view less the values the model schema's defaults give back on reading
 * (`null` SQL facets, `arrayDims: 0`, no primary key, empty lists, `no_action`). That is what the drift
 * summary compares, in about two thirds of the text.
 */
export function snapshotView(model: SchemaModel): unknown {
  return view(model, true);
}

const emptyToUndefined = <T>(xs: readonly T[] | undefined) => (xs && xs.length ? xs : undefined);

function view(model: SchemaModel, compact: boolean): unknown {
  const n = normaliseModel(model);
  // One copy per field (shapeView's), changed in place: a 150,000-column model is 150,000 of them.
  const fieldView = (f: Field): unknown => {
    const out = shapeView(f, fieldView);
    if (out.confidence !== undefined) out.confidence = undefined;
    if (compact && f.sql) out.sql = compactSql(f.sql);
    return out;
  };
  return {
    version: n.version,
    source: n.source,
    namespaces: n.namespaces.map((ns) => {
      const out: Record<string, unknown> = {
        ...ns,
        entities: ns.entities.map((e) => entityView(e, fieldView, compact)),
        composites: ns.composites.map((c) => ({ ...c, fields: c.fields.map(fieldView) })),
        functions: ns.functions.map((r) => ({
          ...r,
          args: r.args.map(fieldView),
          returns: { ...r.returns, type: r.returns.type && fieldView(r.returns.type), fields: r.returns.fields?.map(fieldView) },
        })),
      };
      if (compact) for (const key of ['entities', 'enums', 'domains', 'composites', 'functions']) out[key] = emptyToUndefined(out[key] as unknown[]);
      return out;
    }),
  };
}

function entityView(e: Entity, fieldView: (f: Field) => unknown, compact: boolean): unknown {
  const out: Record<string, unknown> = { ...e, indexes: undefined, stats: undefined, rls: undefined, fields: e.fields.map(fieldView) };
  if (compact) {
    if (e.primaryKey === null) out.primaryKey = undefined;
    out.uniques = emptyToUndefined(e.uniques);
    out.relations = emptyToUndefined(e.relations)?.map((r) => ({
      ...r,
      onDelete: r.onDelete === 'no_action' ? undefined : r.onDelete,
      onUpdate: r.onUpdate === 'no_action' ? undefined : r.onUpdate,
    }));
  }
  return out;
}

function compactSql(sql: NonNullable<Field['sql']>): unknown {
  return {
    ...sql,
    default: sql.default ?? undefined,
    identity: sql.identity ?? undefined,
    generated: sql.generated ?? undefined,
    arrayDims: sql.arrayDims || undefined,
  };
}

function shapeView(s: ValueShape, fieldView: (f: Field) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...s };
  // Assigned, not spread again: keys already in `s` keep their place, as `{ ...s, fields: … }` would. Only
  // where `s` has the key: most fields have none of the three, and adding keys to 150,000 copies is slow.
  if (s.fields !== undefined) out.fields = s.fields?.map(fieldView);
  if (s.items !== undefined) out.items = s.items && shapeView(s.items, fieldView);
  if (s.types !== undefined) out.types = s.types?.map((t) => shapeView(t, fieldView));
  return out;
}

/**
 * Writes the canonical JSON of a value to `sink` in chunks of about 64 KB: keys sorted, undefined dropped.
 * Hashing streams through it, so a 30,000-column model hashes without building a 10 MB string.
 */
export function writeCanonical(value: unknown, sink: (chunk: string) => void): void {
  let buf = '';
  const put = (s: string) => {
    buf += s;
    if (buf.length > 65_536) {
      sink(buf);
      buf = '';
    }
  };
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object') {
      put(JSON.stringify(v) ?? 'null');
      return;
    }
    if (Array.isArray(v)) {
      put('[');
      for (let i = 0; i < v.length; i++) {
        if (i) put(',');
        walk(v[i] === undefined ? null : v[i]);
      }
      put(']');
      return;
    }
    const keys = Object.keys(v as object)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    put('{');
    keys.forEach((k, i) => {
      if (i) put(',');
      put(JSON.stringify(k));
      put(':');
      walk((v as Record<string, unknown>)[k]);
    });
    put('}');
  };
  walk(value);
  sink(buf);
}

/** Stable JSON: object keys sorted, undefined dropped, so equal data gives equal text whatever its key order. */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  writeCanonical(value, (chunk) => parts.push(chunk));
  return parts.join('');
}

function digest(value: unknown): string {
  const hash = crypto.createHash('sha256');
  writeCanonical(value, (chunk) => hash.update(chunk));
  return `sha256:${hash.digest('hex').slice(0, 32)}`;
}

/** `sha256:` + the first 32 hex digits of the hash of what generated code depends on. */
export function fingerprint(model: SchemaModel): string {
  return generationDigest(model).fingerprint;
}

/**
 * The fingerprint and, when asked, the snapshot's model text (`snapshotView`). The canonical JSON of
 * `generationView(model)` is streamed into the hash as it is written (in 64 KB chunks, never one big string),
 * in one walk over the model itself, without building the view's copies of every entity and field.
 * `fingerprint(m) === digest(generationView(m))` for every model: the hash is the one 0.2 has always written.
 */
export function generationDigest(model: SchemaModel, opts: { snapshot?: boolean } = {}): { fingerprint: string; snapshot?: string } {
  const hash = crypto.createHash('sha256');
  const w = new GenerationWriter((chunk) => hash.update(chunk));
  w.model(model);
  w.end();
  const fp = `sha256:${hash.digest('hex').slice(0, 32)}`;
  // JSON.stringify is native: building the compact view and stringifying it beats a second text stream here.
  return opts.snapshot ? { fingerprint: fp, snapshot: JSON.stringify(snapshotView(model)) } : { fingerprint: fp };
}

/**
 * `fingerprint`, computed in slices of at most about `sliceMs` of work, yielding to the event loop between
 * them: for the extension host, where one 100 ms task is a frozen editor. The hash is the same.
 */
export async function fingerprintSliced(model: SchemaModel, opts: { sliceMs?: number; signal?: AbortSignal } = {}): Promise<string> {
  return hashSliced(model, new Slicer(opts.sliceMs ?? 10, opts.signal));
}

async function hashSliced(model: SchemaModel, slicer: Slicer): Promise<string> {
  const hash = crypto.createHash('sha256');
  await writeSliced(model, (chunk) => hash.update(chunk), slicer);
  return `sha256:${hash.digest('hex').slice(0, 32)}`;
}

/**
 * `generationDigest(model, { snapshot: true })` in slices, for the extension host: the same fingerprint and
 * the same snapshot text, worked out an entity (or sixteen) at a time.
 */
export async function generationDigestSliced(model: SchemaModel, slicer: Slicer): Promise<{ fingerprint: string; snapshot: string }> {
  const fingerprint = await hashSliced(model, slicer);
  return { fingerprint, snapshot: await snapshotTextSliced(model, slicer) };
}

/**
 * `JSON.stringify(snapshotView(model))`, byte for byte, stringified an entity at a time: each namespace's text
 * is written with a marker in place of its entities, which are then put there (as are the namespaces in the
 * model's text). The marker is random, so no name in a schema can be taken for it.
 */
async function snapshotTextSliced(model: SchemaModel, slicer: Slicer): Promise<string> {
  const view = snapshotView(model) as { namespaces: { entities?: unknown[] }[] };
  const marker = `plugboard-${crypto.randomUUID()}`;
  const quoted = JSON.stringify(marker);
  const around = (text: string, inner: string[]) => {
    const at = text.indexOf(quoted);
    return `${text.slice(0, at)}[${inner.join(',')}]${text.slice(at + quoted.length)}`;
  };
  const namespaces: string[] = [];
  for (const ns of view.namespaces) {
    if (!ns.entities) {
      namespaces.push(JSON.stringify(ns));
      continue;
    }
    const entities: string[] = [];
    for (let i = 0; i < ns.entities.length; i++) {
      entities.push(JSON.stringify(ns.entities[i]));
      if ((i & 15) === 15) await slicer.pause();
    }
    namespaces.push(around(JSON.stringify({ ...ns, entities: marker }), entities));
  }
  return around(JSON.stringify({ ...view, namespaces: marker }), namespaces);
}

/**
 * The canonical JSON of `generationView(model)` as UTF-8 chunks of about 64 KB - the text the fingerprint
 * hashes, which reads back as the model less what the view leaves out - written in slices like
 * `fingerprintSliced`. For handing the live schema to a worker thread: each chunk owns its ArrayBuffer, so
 * they can be transferred, where a model would cost a structured clone of every object, all in one task.
 */
export async function generationChunksSliced(model: SchemaModel, opts: { sliceMs?: number; signal?: AbortSignal } = {}): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  await writeSliced(model, (chunk) => {
    const bytes = Buffer.from(chunk, 'utf8');
    // A short chunk may sit in Buffer's shared pool: copy it out, never hand the pool over.
    chunks.push(bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length ? bytes : Uint8Array.prototype.slice.call(bytes));
  }, new Slicer(opts.sliceMs ?? 10, opts.signal));
  return chunks;
}

async function writeSliced(model: SchemaModel, sink: (chunk: string) => void, slicer: Slicer): Promise<void> {
  const w = new GenerationWriter(sink);
  let n = 0;
  // Reading the clock costs more than a small entity: look every 16 entities.
  for (const _ of w.modelSteps(model)) if ((++n & 15) === 0) await slicer.pause();
  w.end();
}

/** `fingerprintForVersion`, sliced for the current hashing (0.1.x's, for old files only, is computed at once). */
export function fingerprintForVersionSliced(toolVersion: string, model: SchemaModel, opts: { sliceMs?: number } = {}): Promise<string> {
  return hashedAsLegacy(toolVersion) ? Promise.resolve(legacyFingerprint(model)) : fingerprintSliced(model, opts);
}

type Obj = Record<string, unknown>;
/** How one key's value is written: undefined → the generic canonical walk. */
interface KeyRule {
  write(w: GenerationWriter, value: unknown): void;
  /** The same as `write`, pausing after each entity (for the sliced walk). */
  steps?(w: GenerationWriter, value: unknown): Generator<void>;
  /** The view maps a null value to undefined (`x?.map(…)`), so the key is left out. */
  nullDrops?: boolean;
}
type Rules = Record<string, KeyRule | null>;

/** A key as the walk writes it: `"key":` first in its object, `,"key":` after another. */
const QUOTED = new Map<string, readonly [string, string]>();
const quoteKey = (k: string) => {
  let q = QUOTED.get(k);
  if (q === undefined) {
    const quoted = JSON.stringify(k);
    q = [`${quoted}:`, `,${quoted}:`];
    if (QUOTED.size < 4096) QUOTED.set(k, q);
  }
  return q;
};

/**
 * Writes generationView's canonical JSON (keys sorted, undefined dropped) to a sink in chunks. Each `…View`
 * method mirrors the function of that name above; `Rules` say where a key's value is written differently.
 */
class GenerationWriter {
  private h = '';
  private readonly keyOrders: KeyNode = {};

  constructor(private readonly sink: (chunk: string) => void) {}

  put(str: string): void {
    this.h += str;
    if (this.h.length > 65_536) {
      this.sink(this.h);
      this.h = '';
    }
  }

  end(): void {
    this.sink(this.h);
    this.h = '';
  }

  /**
   * The generic canonical walk (writeCanonical's). A 10,000-table model has 1.7 million primitive values;
   * JSON.stringify gives each the text below, which costs about half as much written out directly.
   */
  value(v: unknown): void {
    if (v === null) {
      this.put('null');
      return;
    }
    switch (typeof v) {
      case 'object':
        break;
      case 'string':
        this.put(NEEDS_ESCAPING.test(v) ? JSON.stringify(v) : `"${v}"`);
        return;
      case 'boolean':
        this.put(v ? 'true' : 'false');
        return;
      case 'number':
        // JSON writes a finite number as its ToString (-0 as "0") and anything else as null.
        this.put(Number.isFinite(v) ? String(v) : 'null');
        return;
      default:
        this.put(JSON.stringify(v) ?? 'null');
        return;
    }
    if (Array.isArray(v)) {
      this.array(v, (x) => this.value(x));
      return;
    }
    this.object(v as Obj);
  }

  array<T>(items: readonly T[], each: (item: T) => void): void {
    this.put('[');
    for (let i = 0; i < items.length; i++) {
      if (i) this.put(',');
      const x = items[i];
      if (x === undefined) this.put('null');
      else each(x);
    }
    this.put(']');
  }

  /**
   * An object's keys, and the view's `extra` ones, in sorted order, each once. Sorting them for every one of
   * 150,000 fields was a sixth of the walk; objects built alike list the same keys, so each distinct list is
   * sorted once, found again by walking a tree of the keys in their given order.
   */
  sortedKeys(v: Obj, extra: readonly string[]): readonly string[] {
    const own = Object.keys(v);
    let node = this.keyOrders;
    for (const k of own) node = childOf(node, k);
    for (const k of extra) node = childOf(node, k);
    return (node.sorted ??= [...new Set([...own, ...extra])].sort());
  }

  /** An object's keys in sorted order; `rules` overrides how a key's value is written (null: the view drops the key). */
  object(v: Obj, rules?: Rules, extra: readonly string[] = NO_KEYS): void {
    this.put('{');
    let first = true;
    for (const k of this.sortedKeys(v, extra)) {
      const rule = rules?.[k];
      if (rule === null) continue;
      const value = v[k];
      if (value === undefined || (value === null && rule?.nullDrops)) continue;
      this.put(quoteKey(k)[first ? 0 : 1]);
      first = false;
      if (rule) rule.write(this, value);
      else this.value(value);
    }
    this.put('}');
  }

  /** `object`, pausing where a rule has `steps`. */
  *objectSteps(v: Obj, rules: Rules, extra: readonly string[]): Generator<void> {
    this.put('{');
    let first = true;
    for (const k of this.sortedKeys(v, extra)) {
      const rule = rules[k];
      if (rule === null) continue;
      const value = v[k];
      if (value === undefined || (value === null && rule?.nullDrops)) continue;
      this.put(quoteKey(k)[first ? 0 : 1]);
      first = false;
      if (rule?.steps) yield* rule.steps(this, value);
      else if (rule) rule.write(this, value);
      else this.value(value);
    }
    this.put('}');
  }

  model(m: SchemaModel): void {
    for (const _ of this.modelSteps(m));
  }

  /** The model, pausing after every entity. */
  modelSteps(m: SchemaModel): Generator<void> {
    const source = m.source.provider ? { kind: m.source.kind, provider: m.source.provider } : { kind: m.source.kind };
    return this.objectSteps({ version: m.version, source, namespaces: m.namespaces } as Obj, MODEL_RULES, []);
  }

  namespaceSteps(ns: SchemaModel['namespaces'][number]): Generator<void> {
    return this.objectSteps(ns as unknown as Obj, NAMESPACE_RULES, NAMESPACE_KEYS);
  }

  entityView(e: Entity): void {
    this.object(e as unknown as Obj, ENTITY_RULES, ENTITY_KEYS);
  }

  fieldView(f: Field): void {
    this.object(f as unknown as Obj, FIELD_RULES, SHAPE_KEYS);
  }

  shapeView(s: ValueShape): void {
    this.object(s as unknown as Obj, SHAPE_RULES, SHAPE_KEYS);
  }
}

/**
 * What JSON.stringify escapes in a string: `"`, `\`, control characters, and surrogates (it escapes lone
 * ones; a string with any is left to it). Any other string is written as itself between quotes.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Keys each view sets whether or not the object has them (`{ ...e, fields: … }`). */
const NO_KEYS: readonly string[] = [];
const NAMESPACE_KEYS = ['entities', 'enums', 'domains', 'composites', 'functions'];
const ENTITY_KEYS = ['uniques', 'relations', 'fields'];
const SHAPE_KEYS = ['fields', 'items', 'types'];

interface KeyNode {
  next?: Map<string, KeyNode>;
  sorted?: readonly string[];
}

function childOf(node: KeyNode, key: string): KeyNode {
  const next = (node.next ??= new Map());
  let child = next.get(key);
  if (!child) next.set(key, (child = {}));
  return child;
}

const writeFields = (w: GenerationWriter, v: unknown) => w.array(v as Field[], (f) => w.fieldView(f));
const fieldList: KeyRule = { write: writeFields };
/** `x?.map(fieldView)`: a null list is left out. */
const optionalFieldList: KeyRule = { write: writeFields, nullDrops: true };
const SHAPE_RULES: Rules = {
  fields: optionalFieldList,
  // `items: s.items && shapeView(s.items)`: a falsy value stays as it is.
  items: { write: (w, v) => (v ? w.shapeView(v as ValueShape) : w.value(v)) },
  types: { write: (w, v) => w.array(v as ValueShape[], (t) => w.shapeView(t)), nullDrops: true },
};
const FIELD_RULES: Rules = { ...SHAPE_RULES, confidence: null };
const ENTITY_RULES: Rules = {
  indexes: null,
  stats: null,
  rls: null,
  fields: fieldList,
  uniques: { write: (w, v) => w.value([...(v as Entity['uniques'])].sort(byName)) },
  relations: { write: (w, v) => w.value([...(v as Entity['relations'])].sort(byName)) },
};
const RETURNS_RULES: Rules = {
  type: { write: (w, t) => (t ? w.fieldView(t as Field) : w.value(t)) },
  fields: optionalFieldList,
};
const ROUTINE_RULES: Rules = {
  args: fieldList,
  returns: { write: (w, v) => w.object(v as Obj, RETURNS_RULES, ['type', 'fields']) },
};
/** A rule whose sync `write` drains its `steps`. */
const stepped = (steps: (w: GenerationWriter, v: unknown) => Generator<void>): KeyRule => ({
  steps,
  write: (w, v) => {
    for (const _ of steps(w, v));
  },
});
const MODEL_RULES: Rules = {
  namespaces: stepped(function* (w, v) {
    const list = byNameList(v) as SchemaModel['namespaces'];
    w.put('[');
    for (let i = 0; i < list.length; i++) {
      if (i) w.put(',');
      yield* w.namespaceSteps(list[i]!);
    }
    w.put(']');
  }),
};
const COMPOSITE_RULES: Rules = { fields: fieldList };
const byNameList = (v: unknown) => [...(v as { name: string }[])].sort(byName);
const NAMESPACE_RULES: Rules = {
  entities: stepped(function* (w, v) {
    const list = byNameList(v) as Entity[];
    w.put('[');
    for (let i = 0; i < list.length; i++) {
      if (i) w.put(',');
      w.entityView(list[i]!);
      yield;
    }
    w.put(']');
  }),
  enums: { write: (w, v) => w.value(byNameList(v)) },
  domains: { write: (w, v) => w.value(byNameList(v)) },
  composites: { write: (w, v) => w.array(byNameList(v), (c) => w.object(c as Obj, COMPOSITE_RULES, ['fields'])) },
  functions: { write: (w, v) => w.array([...(v as Routine[])].sort(byRoutine), (r) => w.object(r as unknown as Obj, ROUTINE_RULES, ['args', 'returns'])) },
};

/** Whether files written by this tool version carry 0.1.x's fingerprint (`legacyFingerprint`): indexes included. */
export function hashedAsLegacy(toolVersion: string): boolean {
  return /^0\.1\./.test(toolVersion);
}

/**
 * The fingerprint Plugboard 0.1.x computed for the same schema: its whole normalised v1 model, indexes
 * included. Only files whose header says they were generated by 0.1.x are compared with it.
 */
export function legacyFingerprint(model: SchemaModel): string {
  return digest(v1Projection(normaliseModel(model)));
}

/** The live fingerprint to compare with a file generated by `toolVersion`. */
export function fingerprintForVersion(toolVersion: string, model: SchemaModel): string {
  return hashedAsLegacy(toolVersion) ? legacyFingerprint(model) : fingerprint(model);
}
