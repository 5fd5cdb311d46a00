import { NEUTRAL_TYPES, type Field, type ValueShape } from '../../model';

/**
 * The fixed orders that make inferred schemas byte-identical whatever order the documents came in: the
 * fingerprint hashes fields in array order, so sorting is part of the contract, not cosmetics.
 */

/** Plain code-unit order: the same in every locale and every Node version. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `_id` first (where MongoDB puts it), then by name. */
export function byFieldName(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '_id') return -1;
  if (b === '_id') return 1;
  return byCodeUnits(a, b);
}

export function sortFields(fields: Field[]): Field[] {
  return fields.sort((a, b) => byFieldName(a.name, b.name));
}

const TYPE_RANK = new Map<string, number>(NEUTRAL_TYPES.map((t, i) => [t, i]));

/** Union alternatives: by neutral type in NEUTRAL_TYPES order (`null` last), then by native spelling. */
export function byTypeOrder(a: Pick<ValueShape, 'type' | 'nativeType'>, b: Pick<ValueShape, 'type' | 'nativeType'>): number {
  return (TYPE_RANK.get(a.type)! - TYPE_RANK.get(b.type)!) || byCodeUnits(a.nativeType ?? '', b.nativeType ?? '');
}

/** Native spellings of a union, in the order given, each once: `string | int`. */
export function joinNative(shapes: readonly Pick<ValueShape, 'nativeType' | 'type'>[]): string {
  return [...new Set(shapes.map((s) => s.nativeType ?? s.type))].join(' | ');
}

/** Shares are rounded so that two samplings of the same documents agree to the last digit. */
export function share(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0;
}
