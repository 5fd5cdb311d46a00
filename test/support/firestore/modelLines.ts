/**
 * An inferred model as short lines, one per field (nested members as dotted paths, array elements as `[]`),
 * so a test can compare a whole collection's shape at a glance: `address.location? geopoint`,
 * `manager? reference→users | null`, `score? integer | double`.
 */
import type { Entity, Field, SchemaModel, ValueShape } from '../../../src/core/model';

function typeText(s: ValueShape): string {
  if (s.types?.length) return s.types.map(typeText).join(' | ');
  const native = s.nativeType ?? s.type;
  return s.type === 'reference' && s.refPath !== undefined ? `${native}→${s.refPath}` : native;
}

function shapeLines(s: ValueShape, path: string): string[] {
  const out: string[] = [];
  for (const f of s.fields ?? []) out.push(...fieldLines(f, `${path}.`));
  if (s.items) {
    out.push(`${path}[] ${typeText(s.items)}`);
    out.push(...shapeLines(s.items, `${path}[]`));
  }
  for (const t of s.types ?? []) out.push(...shapeLines(t, path));
  return out;
}

export function fieldLines(f: Field, prefix = ''): string[] {
  const name = `${prefix}${f.name}${f.optional ? '?' : ''}`;
  return [`${name} ${typeText(f)}${f.nullable && f.type !== 'null' ? ' | null' : ''}`, ...shapeLines(f, `${prefix}${f.name}`)];
}

export function entityLines(e: Entity): string[] {
  return e.fields.flatMap((f) => fieldLines(f));
}

/** Every entity of the model's one namespace, by name. */
export function modelLines(model: SchemaModel): Record<string, string[]> {
  return Object.fromEntries(model.namespaces.flatMap((ns) => ns.entities.map((e) => [e.name, entityLines(e)])));
}

/** What introspecting seedMessyData (messyData.ts) must give, at the default depth. */
export const MESSY_MODEL_LINES: Record<string, string[]> = {
  products: ['dimensions map', 'dimensions.h double', 'dimensions.w integer', 'price integer', 'title string'],
  users: [
    'active? boolean',
    'address? map',
    'address.city string',
    'address.location? geopoint',
    'address.zip? string',
    'age? integer',
    'avatar? bytes',
    'createdAt? timestamp',
    'lastLogin? timestamp',
    'manager? reference→users | null',
    'name string',
    'nickname? null',
    'prefs? array',
    'prefs[] map',
    'prefs[].key string',
    'prefs[].since? timestamp',
    'prefs[].value string',
    'score? integer | double',
    'tags? array',
    'tags[] string',
  ],
  'users/orders': ['placedAt? timestamp', 'status string', 'total integer | double'],
  'users/orders/items': ['note? string', 'price integer | double', 'qty integer', 'sku string'],
};
