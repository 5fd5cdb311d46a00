import { DocumentReference, FieldValue, GeoPoint, Timestamp } from 'firebase-admin/firestore';
import type { Classified, ValueClassifier } from '../../core/introspect/infer';
import { patternOfPath } from './paths';

/** firebase-admin does not export the VectorValue class; one of its instances leads to it. */
const VectorValue = FieldValue.vector([]).constructor;

/**
 * How a value read by firebase-admin maps to the neutral model. Introspection reads with `useBigInt: true`:
 * Firestore's integers then arrive as bigint and its doubles as number, even an integral double such as
 * 2.0, so the two wire types stay apart (without it both are plain numbers). Native names are Firestore's.
 */
export const firestoreClassifier: ValueClassifier = {
  classify(value: unknown): Classified | undefined {
    if (value === undefined) return undefined;
    if (value === null) return { type: 'null', nativeType: 'null' };
    switch (typeof value) {
      case 'string':
        return { type: 'string', nativeType: 'string' };
      case 'bigint':
        return { type: 'integer', nativeType: 'integer' };
      case 'number':
        // A number here is a double (see above); a safe integer only when the reader did not set useBigInt.
        return { type: 'float', nativeType: 'double' };
      case 'boolean':
        return { type: 'boolean', nativeType: 'boolean' };
      case 'object':
        break;
      default:
        return { type: 'unknown', nativeType: typeof value };
    }
    if (Array.isArray(value)) return { type: 'array', nativeType: 'array', elements: value };
    if (value instanceof Timestamp) return { type: 'timestamptz', nativeType: 'timestamp' };
    if (value instanceof GeoPoint) return { type: 'geopoint', nativeType: 'geopoint' };
    if (value instanceof DocumentReference) return { type: 'reference', nativeType: 'reference', refPath: patternOfPath(value.parent.path) };
    if (value instanceof Uint8Array) return { type: 'bytes', nativeType: 'bytes' };
    if (value instanceof VectorValue) return { type: 'unknown', nativeType: 'vector' };
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto === Object.prototype || proto === null) return { type: 'object', nativeType: 'map', entries: Object.entries(value) };
    return { type: 'unknown', nativeType: 'unknown' };
  },
};
