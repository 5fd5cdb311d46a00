import type { Field, NeutralType } from '../../model';

/**
 * How a backend sees one value. Core never looks inside a driver's values itself: the backend says what a
 * value is (its neutral type and its own spelling of it) and, for containers, how to walk it. This keeps
 * `bson` and `firebase-admin` out of core and lets each backend decide e.g. int vs double.
 */
export type Classified =
  | { type: 'object'; nativeType: string; entries: Iterable<readonly [string, unknown]> }
  | { type: 'array'; nativeType: string; elements: Iterable<unknown> }
  /** `refPath`: the collection the referenced document lives in (`users`, `users/{id}/orders`), when known. */
  | { type: 'reference'; nativeType: string; refPath?: string }
  | { type: Exclude<NeutralType, 'object' | 'array' | 'reference'>; nativeType: string };

export interface ValueClassifier {
  /**
   * What `value` is; `undefined` means "treat as absent" (a JavaScript `undefined` member, say). `null` and
   * its kin must come back as `{ type: 'null', … }`: they make a field nullable, not optional.
   */
  classify(value: unknown): Classified | undefined;
}

export interface InferOptions {
  /**
   * Container levels described: the members of a top-level document are level 1; an object or array at
   * level `maxDepth` is kept open (`Json`). Default 8, clamped to 1..64 so the walk never nests deeply.
   */
  maxDepth?: number;
  /** Distinct keys kept per object position; beyond it the object is typed as open. Default 500. */
  maxFields?: number;
}

/** Why part of the inferred shape was left open; `path` is dotted, `[]` marks array elements. */
export interface InferNote {
  path: string;
  reason: 'depth' | 'width';
  message: string;
}

export interface InferResult {
  /** Sorted: `_id` first, then by name (code units); unions sorted by a fixed type order. */
  fields: Field[];
  /** Documents that were objects (anything else passed in is ignored). */
  seen: number;
  /** The top-level documents themselves had more than `maxFields` distinct keys: `fields` is empty. */
  open: boolean;
  /** In path order; empty when nothing was cut. */
  notes: InferNote[];
}

export const DEFAULT_MAX_DEPTH = 8;
export const DEFAULT_MAX_FIELDS = 500;
export const DEPTH_CEILING = 64;
