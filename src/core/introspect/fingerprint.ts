import { createHash } from 'node:crypto';
import type { Entity, Field, Routine, SchemaModel, ValueShape } from '../model';
import { v1Projection } from '../model/legacy';

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
  const n = normaliseModel(model);
  return {
    version: n.version,
    source: n.source,
    namespaces: n.namespaces.map((ns) => ({
      ...ns,
      entities: ns.entities.map(entityView),
      composites: ns.composites.map((c) => ({ ...c, fields: c.fields.map(fieldView) })),
      functions: ns.functions.map((r) => ({
        ...r,
        args: r.args.map(fieldView),
        returns: { ...r.returns, type: r.returns.type && fieldView(r.returns.type), fields: r.returns.fields?.map(fieldView) },
      })),
    })),
  };
}

function entityView(e: Entity): unknown {
  return { ...e, indexes: undefined, stats: undefined, rls: undefined, fields: e.fields.map(fieldView) };
}

function fieldView(f: Field): unknown {
  return { ...shapeView(f), confidence: undefined };
}

function shapeView(s: ValueShape): Record<string, unknown> {
  return {
    ...s,
    fields: s.fields?.map(fieldView),
    items: s.items && shapeView(s.items),
    types: s.types?.map(shapeView),
  };
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
  const hash = createHash('sha256');
  writeCanonical(value, (chunk) => hash.update(chunk));
  return `sha256:${hash.digest('hex').slice(0, 32)}`;
}

/** `sha256:` + the first 32 hex digits of the hash of what generated code depends on. */
export function fingerprint(model: SchemaModel): string {
  return digest(generationView(model));
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
  return /^0\.1\./.test(toolVersion) ? legacyFingerprint(model) : fingerprint(model);
}
