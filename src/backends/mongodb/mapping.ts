import type { TsType, ValueMapping } from '../../core/backend';

/**
 * What the official driver (v7, bson 7) returns with its default options — the options the generated
 * mongo-crud keeps — for each BSON type, read back from a server in test/integration/mongo.codegen.test.ts:
 *
 * - int and double → `number` (promoteValues); a long → `number` when it is a safe integer, else a `Long`
 *   (promoteLongs only promotes what fits in 2^53), so a long reads as `number | Long`. Written, a JS number
 *   becomes an int or a double, so a long field takes a `Long` or a `bigint` to stay a long.
 * - decimal → `Decimal128`, objectId → `ObjectId`, date → `Date`, timestamp → `Timestamp`.
 * - binData → `Binary`; subtype 4 → the driver's `UUID` (a Binary subclass).
 * - regex → a JS `RegExp` (bsonRegExp: false; flags JavaScript lacks, such as `x`, are dropped); a
 *   `BSONRegExp` is accepted on write and keeps them.
 * - symbol → `string`, javascript → `Code`, minKey/maxKey → `MinKey`/`MaxKey`, a `{ $ref, $id }` → `DBRef`.
 * - an object whose members are unknown → the driver's `Document` (it may hold any BSON value, so `Json`
 *   would be a lie).
 */
const from = (...names: string[]) => names.map((name) => ({ name, from: 'mongodb' }));

const OBJECT_ID: TsType = { row: 'ObjectId', imports: from('ObjectId') };
const LONG: TsType = { row: 'number | Long', write: 'Long | bigint', imports: from('Long') };
const DECIMAL: TsType = { row: 'Decimal128', imports: from('Decimal128') };
const BINARY: TsType = { row: 'Binary', imports: from('Binary') };
const UUID_TYPE: TsType = { row: 'UUID', imports: from('UUID') };
const TIMESTAMP: TsType = { row: 'Timestamp', imports: from('Timestamp') };
const DATE: TsType = { row: 'Date' };
const REGEX: TsType = { row: 'RegExp', write: 'RegExp | BSONRegExp', imports: from('BSONRegExp') };
const CODE: TsType = { row: 'Code', imports: from('Code') };
const DBREF: TsType = { row: 'DBRef', imports: from('DBRef') };
const DOCUMENT: TsType = { row: 'Document', imports: from('Document') };

export const MONGO_VALUE_MAPPING: ValueMapping = {
  types: {
    integer: { row: 'number' },
    float: { row: 'number' },
    bigint: LONG,
    decimal: DECIMAL,
    objectid: OBJECT_ID,
    timestamptz: DATE,
    timestamp: TIMESTAMP,
    bytes: BINARY,
    uuid: UUID_TYPE,
    reference: DBREF,
    object: DOCUMENT,
    array: { row: 'unknown[]' },
    json: DOCUMENT,
  },
  native: {
    objectId: OBJECT_ID,
    int: { row: 'number' },
    double: { row: 'number' },
    long: LONG,
    decimal: DECIMAL,
    // `$jsonSchema`'s `number` matches int, long, double and decimal alike.
    number: { row: 'number | Long | Decimal128', write: 'number | Long | bigint | Decimal128', imports: from('Long', 'Decimal128') },
    date: DATE,
    timestamp: TIMESTAMP,
    binData: BINARY,
    uuid: UUID_TYPE,
    regex: REGEX,
    symbol: { row: 'string' },
    javascript: CODE,
    javascriptWithScope: CODE,
    minKey: { row: 'MinKey', imports: from('MinKey') },
    maxKey: { row: 'MaxKey', imports: from('MaxKey') },
    dbref: DBREF,
    dbPointer: DBREF,
    object: DOCUMENT,
    array: { row: 'unknown[]' },
  },
  generatedKeys: ['_id'],
};
