import type { ValueMapping } from '../../core/backend';

const FIRESTORE = 'firebase-admin/firestore';

/**
 * What firebase-admin's `data()` returns with its default settings, which generated code keeps: integers and
 * doubles as `number` (integers beyond 2^53 lose precision unless the app sets `useBigInt`), Timestamps as
 * `Timestamp` (a `Date` is accepted on write and stored as a Timestamp), GeoPoint and DocumentReference as
 * their classes, bytes as a Node `Buffer` (any Uint8Array is accepted on write), vectors as `VectorValue` (FieldValue.vector's type).
 */
export const FIRESTORE_VALUE_MAPPING: ValueMapping = {
  types: {
    integer: { row: 'number' },
    float: { row: 'number' },
    timestamptz: { row: 'Timestamp', write: 'Timestamp | Date', imports: [{ name: 'Timestamp', from: FIRESTORE }] },
    geopoint: { row: 'GeoPoint', imports: [{ name: 'GeoPoint', from: FIRESTORE }] },
    reference: { row: 'DocumentReference', imports: [{ name: 'DocumentReference', from: FIRESTORE }] },
    bytes: { row: 'Buffer', write: 'Buffer | Uint8Array' },
  },
  native: {
    // firebase-admin exports no VectorValue type; FieldValue.vector() returns one.
    vector: { row: 'ReturnType<typeof FieldValue.vector>', imports: [{ name: 'FieldValue', from: FIRESTORE }] },
  },
};
