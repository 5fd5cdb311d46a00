import type { TsType, ValueMapping, ZodExpr } from '../../core/backend';
import { zodInstance, zodReadWrite, zodUnion } from '../../core/codegen/zodMapping';

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
 *
 * The zod target checks each class with instanceof against the driver's own export (so a schema parses what
 * the driver returned, unchanged), and a `Document` as any non-array object.
 */
const from = (...names: string[]) => names.map((name) => ({ name, from: 'mongodb' }));
const bson = (name: string): ZodExpr => zodInstance(name, 'mongodb');
/** A BSON class: its type, and its instanceof schema. */
const bsonClass = (name: string): TsType => ({ row: name, imports: from(name), zod: bson(name) });
const NUMBER: ZodExpr = { row: 'z.number()' };
/** A long the driver promoted: always a safe integer. */
const INTEGER: ZodExpr = { row: 'z.number().int()' };

const OBJECT_ID = bsonClass('ObjectId');
const LONG: TsType = { row: 'number | Long', write: 'Long | bigint', imports: from('Long'), zod: zodReadWrite(zodUnion(INTEGER, bson('Long')), zodUnion(bson('Long'), { row: 'z.bigint()' })) };
const DECIMAL = bsonClass('Decimal128');
const BINARY = bsonClass('Binary');
const UUID_TYPE = bsonClass('UUID');
const TIMESTAMP = bsonClass('Timestamp');
const DATE: TsType = { row: 'Date' };
const REGEX: TsType = {
  row: 'RegExp',
  write: 'RegExp | BSONRegExp',
  imports: from('BSONRegExp'),
  zod: zodReadWrite(zodInstance('RegExp'), zodUnion(zodInstance('RegExp'), bson('BSONRegExp'))),
};
const CODE = bsonClass('Code');
const DBREF = bsonClass('DBRef');
const DOCUMENT: TsType = {
  row: 'Document',
  imports: from('Document'),
  zod: { row: "z.custom<Document>((value) => typeof value === 'object' && value !== null && !Array.isArray(value))", typeImports: from('Document') },
};

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
    number: {
      row: 'number | Long | Decimal128',
      write: 'number | Long | bigint | Decimal128',
      imports: from('Long', 'Decimal128'),
      zod: zodReadWrite(zodUnion(NUMBER, bson('Long'), bson('Decimal128')), zodUnion(NUMBER, bson('Long'), { row: 'z.bigint()' }, bson('Decimal128'))),
    },
    date: DATE,
    timestamp: TIMESTAMP,
    binData: BINARY,
    uuid: UUID_TYPE,
    regex: REGEX,
    symbol: { row: 'string' },
    javascript: CODE,
    javascriptWithScope: CODE,
    minKey: bsonClass('MinKey'),
    maxKey: bsonClass('MaxKey'),
    dbref: DBREF,
    dbPointer: DBREF,
    object: DOCUMENT,
    array: { row: 'unknown[]' },
  },
  generatedKeys: ['_id'],
};
