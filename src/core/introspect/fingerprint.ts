import { createHash } from 'node:crypto';
import type { SchemaModel } from '../model';

/**
 * Normalises a model so that equal schemas give equal data whatever order the backend returned things in:
 * namespaces, entities, enums, indexes, keys and relations sorted by name; fields keep their column order
 * (it is part of the schema); values that only describe the server (its version) are dropped.
 */
export function normaliseModel(model: SchemaModel): SchemaModel {
  const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return {
    version: model.version,
    // A REST provider's auth and base URL shape the generated client as much as its endpoints do.
    source: model.source.provider ? { kind: model.source.kind, provider: model.source.provider } : { kind: model.source.kind },
    namespaces: [...model.namespaces].sort(byName).map((ns) => ({
      name: ns.name,
      entities: [...ns.entities].sort(byName).map((e) => ({
        ...e,
        uniques: [...e.uniques].sort(byName),
        indexes: [...e.indexes].sort(byName),
        relations: [...e.relations].sort(byName),
      })),
      enums: [...ns.enums].sort(byName),
      domains: [...ns.domains].sort(byName),
      composites: [...ns.composites].sort(byName),
    })),
  };
}

/** Stable JSON: object keys sorted, undefined dropped, so the hash does not depend on property order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** `sha256:` + the first 32 hex digits of the hash of the normalised model. */
export function fingerprint(model: SchemaModel): string {
  const hash = createHash('sha256').update(canonicalJson(normaliseModel(model))).digest('hex');
  return `sha256:${hash.slice(0, 32)}`;
}
