import type { ValueMapping, ZodExpr } from '../../core/backend';
import { zodInstance, zodReadWrite, zodUnion } from '../../core/codegen/zodMapping';

const FIRESTORE = 'firebase-admin/firestore';

/**
 * What firebase-admin's `data()` returns with its default settings, which generated code keeps: integers and
 * doubles as `number` (integers beyond 2^53 lose precision unless the app sets `useBigInt`), Timestamps as
 * `Timestamp` (a `Date` is accepted on write and stored as a Timestamp), GeoPoint and DocumentReference as
 * their classes, bytes as a Node `Buffer` (any Uint8Array is accepted on write), vectors as `VectorValue` (FieldValue.vector's type).
 *
 * The zod target checks the classes with instanceof against firebase-admin's exports, so a schema parses a
 * snapshot's `data()` unchanged; a vector (whose class firebase-admin does not export) by its `toArray`.
 */
const BUFFER: ZodExpr = { row: 'z.custom<Buffer>((value) => Buffer.isBuffer(value))' };
const BYTES: ZodExpr = { row: 'z.custom<Uint8Array>((value) => value instanceof Uint8Array)' };
const VECTOR = 'ReturnType<typeof FieldValue.vector>';

export const FIRESTORE_VALUE_MAPPING: ValueMapping = {
  types: {
    integer: { row: 'number' },
    float: { row: 'number' },
    timestamptz: {
      row: 'Timestamp',
      write: 'Timestamp | Date',
      imports: [{ name: 'Timestamp', from: FIRESTORE }],
      zod: zodReadWrite(zodInstance('Timestamp', FIRESTORE), zodUnion(zodInstance('Timestamp', FIRESTORE), { row: 'z.date()' })),
    },
    geopoint: { row: 'GeoPoint', imports: [{ name: 'GeoPoint', from: FIRESTORE }], zod: zodInstance('GeoPoint', FIRESTORE) },
    reference: { row: 'DocumentReference', imports: [{ name: 'DocumentReference', from: FIRESTORE }], zod: zodInstance('DocumentReference', FIRESTORE) },
    bytes: { row: 'Buffer', write: 'Buffer | Uint8Array', zod: zodReadWrite(BUFFER, zodUnion(BUFFER, BYTES)) },
  },
  native: {
    // firebase-admin exports no VectorValue type; FieldValue.vector() returns one.
    vector: {
      row: VECTOR,
      imports: [{ name: 'FieldValue', from: FIRESTORE }],
      zod: {
        row: `z.custom<${VECTOR}>((value) => typeof value === 'object' && value !== null && typeof (value as { toArray?: unknown }).toArray === 'function')`,
        typeImports: [{ name: 'FieldValue', from: FIRESTORE }],
      },
    },
  },
};
