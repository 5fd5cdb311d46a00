import { camelCase } from '../../core/codegen/naming';

/**
 * Collection paths as patterns: `users/alice/orders` is an instance of `users/{userId}/orders`. Entities,
 * references (`refPath`) and the generated ref helpers all use the same pattern, so a reference to an order
 * names the entity it points into whatever user it belongs to.
 */

/** `users` → `user`, `categories` → `category`, `addresses` → `address`; other words unchanged. */
function singular(word: string): string {
  if (/[^aeiou]ies$/i.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is)$/i.test(word)) return word;
  if (/(s|x|z|ch|sh)es$/i.test(word)) return word.slice(0, -2);
  if (/[^s]s$/i.test(word) && word.length > 1) return word.slice(0, -1);
  return word;
}

/** The parameter naming a document of `collectionId`, unique among `taken` (which it joins). */
export function paramName(collectionId: string, taken: Set<string>): string {
  const base = camelCase(`${singular(collectionId)} id`);
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
  taken.add(name);
  return name;
}

/** The pattern of a chain of collection ids: [users, orders] → `users/{userId}/orders`. */
export function patternOf(collectionIds: readonly string[]): string {
  const taken = new Set<string>();
  return collectionIds.map((id, i) => (i === 0 ? id : `{${paramName(collectionIds[i - 1]!, taken)}}/${id}`)).join('/');
}

/** The pattern of a concrete collection path (`users/alice/orders`). */
export function patternOfPath(collectionPath: string): string {
  return patternOf(collectionPath.split('/').filter((_, i) => i % 2 === 0));
}

/** The entity name of a chain of collection ids: `users/orders` (unique: ids never contain `/`). */
export function entityNameOf(collectionIds: readonly string[]): string {
  return collectionIds.join('/');
}

export interface PatternParts {
  /** Collection ids from the root. */
  collections: string[];
  /** Path parameters, one per ancestor document, in order. */
  params: string[];
}

/** Splits a pattern back into its collection ids and parameter names. */
export function partsOf(pattern: string): PatternParts {
  const segments = pattern.split('/');
  return {
    collections: segments.filter((_, i) => i % 2 === 0),
    params: segments.filter((_, i) => i % 2 === 1).map((s) => s.replace(/^\{|\}$/g, '')),
  };
}
