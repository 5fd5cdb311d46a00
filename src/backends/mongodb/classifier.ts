import type { Classified, JsonSchemaHints, ValueClassifier } from '../../core/introspect/infer';
import type { NeutralType } from '../../core/model';

/**
 * What a BSON value is, as the sampling cursor hands it over (`promoteValues: false`, `bsonRegExp: true`, so
 * Int32, Double and Long stay apart and a regex keeps its flags). Native type names are MongoDB's own
 * `$type`/`bsonType` aliases, so a sampled field and a `$jsonSchema` field of the same type read the same;
 * the two the server lacks are `uuid` (binData subtype 4, which the driver returns as its own class) and
 * `dbref` (a `{ $ref, $id }` document, which the driver turns into a DBRef).
 *
 * bson's classes are recognised by their `_bsontype` tag, not `instanceof`: the driver and a user's project
 * may hold different copies of bson, and this file must not import the driver (it is read by the bench and
 * by tests without a connection).
 */
type Leaf = Exclude<Classified, { type: 'object' | 'array' | 'reference' }>;
const leaf = (type: Leaf['type'], nativeType: string): Leaf => ({ type, nativeType });

/** By bsonType alias: what a value of that alias is in the model. */
const BY_ALIAS: Record<string, Leaf> = {
  objectId: leaf('objectid', 'objectId'),
  string: leaf('string', 'string'),
  bool: leaf('boolean', 'bool'),
  int: leaf('integer', 'int'),
  long: leaf('bigint', 'long'),
  double: leaf('float', 'double'),
  decimal: leaf('decimal', 'decimal'),
  date: leaf('timestamptz', 'date'),
  timestamp: leaf('timestamp', 'timestamp'),
  binData: leaf('bytes', 'binData'),
  uuid: leaf('uuid', 'uuid'),
  regex: leaf('unknown', 'regex'),
  symbol: leaf('string', 'symbol'),
  javascript: leaf('unknown', 'javascript'),
  javascriptWithScope: leaf('unknown', 'javascriptWithScope'),
  minKey: leaf('unknown', 'minKey'),
  maxKey: leaf('unknown', 'maxKey'),
  null: leaf('null', 'null'),
};

/** By bson's `_bsontype` tag. */
const BY_TAG: Record<string, Leaf> = {
  ObjectId: BY_ALIAS.objectId!,
  ObjectID: BY_ALIAS.objectId!,
  Int32: BY_ALIAS.int!,
  Double: BY_ALIAS.double!,
  Long: BY_ALIAS.long!,
  Decimal128: BY_ALIAS.decimal!,
  Timestamp: BY_ALIAS.timestamp!,
  BSONRegExp: BY_ALIAS.regex!,
  BSONSymbol: BY_ALIAS.symbol!,
  MinKey: BY_ALIAS.minKey!,
  MaxKey: BY_ALIAS.maxKey!,
};

/** binData subtypes 3 (legacy) and 4 are UUIDs; only 4 comes back from the driver as its UUID class. */
const UUID_SUBTYPE = 4;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export const bsonClassifier: ValueClassifier = {
  classify(value: unknown): Classified | undefined {
    switch (typeof value) {
      case 'undefined':
        return undefined;
      case 'string':
        return BY_ALIAS.string;
      case 'boolean':
        return BY_ALIAS.bool;
      // A promoted number: bson writes an integer that fits in 32 bits as int, anything else as double.
      case 'number':
        return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX ? BY_ALIAS.int : BY_ALIAS.double;
      case 'bigint':
        return BY_ALIAS.long;
      case 'object':
        return value === null ? BY_ALIAS.null : classifyObject(value);
      default:
        return leaf('unknown', typeof value);
    }
  },
};

function classifyObject(value: object): Classified {
  if (Array.isArray(value)) return { type: 'array', nativeType: 'array', elements: value };
  if (value instanceof Date) return BY_ALIAS.date!;
  if (value instanceof RegExp) return BY_ALIAS.regex!;
  const tag = (value as { _bsontype?: unknown })._bsontype;
  if (typeof tag === 'string') {
    if (tag === 'Binary') return (value as { sub_type?: unknown }).sub_type === UUID_SUBTYPE ? BY_ALIAS.uuid! : BY_ALIAS.binData!;
    if (tag === 'Code') return (value as { scope?: unknown }).scope ? BY_ALIAS.javascriptWithScope! : BY_ALIAS.javascript!;
    if (tag === 'DBRef') {
      const ref = value as { collection?: unknown; db?: unknown };
      const refPath = typeof ref.collection === 'string' ? (typeof ref.db === 'string' && ref.db ? `${ref.db}.${ref.collection}` : ref.collection) : undefined;
      return refPath === undefined ? { type: 'reference', nativeType: 'dbref' } : { type: 'reference', nativeType: 'dbref', refPath };
    }
    return BY_TAG[tag] ?? leaf('unknown', tag);
  }
  return { type: 'object', nativeType: 'object', entries: Object.entries(value) };
}

/** For `fieldsFromJsonSchema`: validator aliases read as sampled values of the same type. */
export const BSON_SCHEMA_HINTS: JsonSchemaHints = {
  bsonType(alias: string): { type: NeutralType; nativeType: string } | undefined {
    return Object.hasOwn(BY_ALIAS, alias) ? BY_ALIAS[alias] : undefined;
  },
};
