import type { TsType, ValueMapping } from '../backend';
import type { NeutralType } from '../model';
import type { MappingOverrides } from './types';

/**
 * What a neutral type becomes in generated TypeScript when the backend's mapping does not say: the plain
 * JSON-ish reading. Backends override what their driver does differently (pg's int8 → string, BSON's
 * ObjectId, Firestore's Timestamp).
 */
export const JSON_DECLARATION = 'export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[];';

const json: TsType = { row: 'Json', declares: ['Json'] };

export const DEFAULT_TYPES: Readonly<Record<NeutralType, TsType>> = {
  string: { row: 'string' },
  integer: { row: 'number' },
  bigint: { row: 'bigint' },
  decimal: { row: 'string' },
  float: { row: 'number' },
  boolean: { row: 'boolean' },
  date: { row: 'Date' },
  timestamp: { row: 'Date' },
  timestamptz: { row: 'Date' },
  time: { row: 'string' },
  interval: { row: 'string' },
  uuid: { row: 'string' },
  json,
  bytes: { row: 'Uint8Array' },
  enum: { row: 'string' },
  composite: json,
  object: json,
  array: { row: 'Json[]', declares: ['Json'] },
  objectid: { row: 'string' },
  geopoint: { row: '{ latitude: number; longitude: number }' },
  reference: { row: 'string' },
  null: { row: 'null' },
  unknown: { row: 'unknown' },
};

/** The backend's mapping with the user's overrides (int8As, numericAs, dateAs) laid over it. */
export function applyOverrides(mapping: ValueMapping, o: MappingOverrides): ValueMapping {
  const types = { ...mapping.types };
  if (o.int8As) types.bigint = { row: o.int8As };
  if (o.numericAs) types.decimal = { row: o.numericAs };
  if (o.dateAs === 'string') for (const t of ['date', 'timestamp', 'timestamptz'] as const) types[t] = { row: 'string' };
  return { ...mapping, types };
}

/** The declaration text of a helper type the mapping names (`Json` is core's own). */
export function declarationText(mapping: ValueMapping, name: string): string | undefined {
  return mapping.declarations?.[name] ?? (name === 'Json' ? JSON_DECLARATION : undefined);
}
