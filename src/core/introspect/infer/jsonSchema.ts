import type { Field, NeutralType, ValueShape } from '../../model';
import { canonicalJson } from '../fingerprint';
import { byCodeUnits, byFieldName, byTypeOrder, joinNative } from './order';
import { DEPTH_CEILING } from './types';

/**
 * MongoDB `$jsonSchema` validators → exact fields. A validator states the schema, so there is no sampling:
 * confidence is 1 and a member is optional exactly when it is not `required`. Anything this does not
 * understand becomes an `unknown` (or open object) type; it never throws on a validator, however odd.
 */

type Native = { type: NeutralType; nativeType: string };

export interface JsonSchemaHints {
  /**
   * The neutral type and native spelling of a `bsonType` alias (`objectId`, `int`, `date`, …), so validator
   * fields read like sampled ones from the same backend. Unlisted aliases fall back to core's table. JSON
   * Schema `type` names are first turned into aliases (`boolean` → `bool`, `integer` → `int`).
   */
  bsonType?(alias: string): Native | undefined;
}

const BSON_ALIASES = new Map<string, NeutralType>([
  ['double', 'float'],
  ['string', 'string'],
  ['object', 'object'],
  ['array', 'array'],
  ['binData', 'bytes'],
  ['objectId', 'objectid'],
  ['bool', 'boolean'],
  ['date', 'timestamptz'],
  ['regex', 'unknown'],
  ['dbPointer', 'unknown'],
  ['javascript', 'unknown'],
  ['symbol', 'string'],
  ['javascriptWithScope', 'unknown'],
  ['int', 'integer'],
  ['timestamp', 'timestamp'],
  ['long', 'bigint'],
  ['decimal', 'decimal'],
  ['minKey', 'unknown'],
  ['maxKey', 'unknown'],
  ['number', 'float'],
]);
const JSON_TYPE_ALIASES = new Map([
  ['boolean', 'bool'],
  ['integer', 'int'],
]);
const NULL_ALIASES = new Set(['null', 'undefined']);
const NULL_SHAPE: ValueShape = { type: 'null', nativeType: 'null' };
const UNKNOWN: ValueShape = { type: 'unknown', nativeType: 'unknown' };

/** A schema node read as: these non-null alternatives, possibly null, with a description. */
interface Converted {
  shapes: ValueShape[];
  nullable: boolean;
  description?: string;
}

type Node = Record<string, unknown>;

/** Own members only: a schema whose prototype chain has `items` must not grow one. */
function own(node: Node, key: string): unknown {
  return Object.hasOwn(node, key) ? node[key] : undefined;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The top-level fields of a collection's validator (`{ $jsonSchema: … }` or the schema itself). */
export function fieldsFromJsonSchema(schema: unknown, hints: JsonSchemaHints = {}): Field[] {
  const root = isNode(schema) && isNode(own(schema, '$jsonSchema')) ? (own(schema, '$jsonSchema') as Node) : schema;
  if (!isNode(root)) return [];
  return new SchemaReader(hints).objectFields(root, 0) ?? [];
}

class SchemaReader {
  constructor(private readonly hints: JsonSchemaHints) {}

  /** Members of an object schema; undefined when it names none (an open object). */
  objectFields(node: Node, depth: number): Field[] | undefined {
    const properties = own(node, 'properties');
    if (!isNode(properties)) return undefined;
    const requiredList = own(node, 'required');
    const required = new Set(Array.isArray(requiredList) ? requiredList.filter((r): r is string => typeof r === 'string') : []);
    const fields = Object.entries(properties).map(([name, sub]) => this.field(name, this.convert(sub, depth + 1), required.has(name)));
    return fields.sort((a, b) => byFieldName(a.name, b.name));
  }

  private field(name: string, c: Converted, required: boolean): Field {
    const shape = c.shapes.length ? joined(c.shapes) : NULL_SHAPE;
    const field: Field = { name, ...shape, nativeType: shape.nativeType ?? shape.type, nullable: c.nullable || !c.shapes.length, optional: !required, confidence: 1 };
    if (c.description) field.comment = c.description;
    return field;
  }

  private convert(node: unknown, depth: number): Converted {
    if (!isNode(node) || depth > DEPTH_CEILING) return { shapes: [UNKNOWN], nullable: false };
    const description = typeof own(node, 'description') === 'string' ? (own(node, 'description') as string) : undefined;
    const out = this.alternatives(node, depth);
    return description ? { ...out, description } : out;
  }

  private alternatives(node: Node, depth: number): Converted {
    const declared = own(node, 'bsonType') ?? own(node, 'type');
    const aliases = typeof declared === 'string' ? [declared] : Array.isArray(declared) ? declared.filter((t): t is string => typeof t === 'string') : [];
    const enumValues = own(node, 'enum');
    if (aliases.length) return this.typed(node, aliases, depth);
    if (Array.isArray(enumValues)) return fromEnum(enumValues);
    if (isNode(own(node, 'properties'))) return this.typed(node, ['object'], depth);
    if (own(node, 'items') !== undefined) return this.typed(node, ['array'], depth);
    const branches = own(node, 'anyOf') ?? own(node, 'oneOf');
    if (Array.isArray(branches) && branches.length) return union(branches.map((b) => this.convert(b, depth + 1)));
    const all = own(node, 'allOf');
    if (Array.isArray(all) && all.length === 1) return this.convert(all[0], depth + 1);
    return { shapes: [UNKNOWN], nullable: false };
  }

  /** A node with `bsonType`/`type` (one alias or several): one alternative per alias, `null` as nullability. */
  private typed(node: Node, aliases: string[], depth: number): Converted {
    const shapes: ValueShape[] = [];
    let nullable = false;
    for (const raw of aliases) {
      const alias = JSON_TYPE_ALIASES.get(raw) ?? raw;
      if (NULL_ALIASES.has(alias)) {
        nullable = true;
        continue;
      }
      const native = this.native(alias);
      const shape: ValueShape = { type: native.type, nativeType: native.nativeType };
      if (native.type === 'object') {
        const fields = this.objectFields(node, depth);
        if (fields) shape.fields = fields;
      } else if (native.type === 'array') {
        const items = this.items(own(node, 'items'), depth);
        if (items) shape.items = items;
      } else if (native.type === 'string') {
        const values = own(node, 'enum');
        if (Array.isArray(values) && values.length && values.every((v) => typeof v === 'string' || v === null)) {
          shape.values = dedupe(values.filter((v): v is string => v !== null));
          if (values.includes(null)) nullable = true;
        }
      }
      shapes.push(shape);
    }
    return { shapes: sortedUnique(shapes), nullable };
  }

  private items(items: unknown, depth: number): ValueShape | undefined {
    if (items === undefined) return undefined;
    const parts = Array.isArray(items) ? items.map((i) => this.convert(i, depth + 1)) : [this.convert(items, depth + 1)];
    const c = union(parts);
    const shapes = c.nullable ? [...c.shapes, NULL_SHAPE] : c.shapes;
    return shapes.length ? joined(shapes) : undefined;
  }

  private native(alias: string): Native {
    const hinted = this.hints.bsonType?.(alias);
    if (hinted) return hinted;
    const type = BSON_ALIASES.get(alias);
    return type ? { type, nativeType: alias } : { type: 'unknown', nativeType: alias };
  }
}

/** An `enum` without a type: strings keep their values; numbers and booleans become their type. */
function fromEnum(values: unknown[]): Converted {
  const strings = values.filter((v): v is string => typeof v === 'string');
  const numbers = values.filter((v): v is number => typeof v === 'number');
  const shapes: ValueShape[] = [];
  if (strings.length) shapes.push({ type: 'string', nativeType: 'string', values: dedupe(strings) });
  if (numbers.length) shapes.push(numbers.every(Number.isInteger) ? { type: 'integer', nativeType: 'int' } : { type: 'float', nativeType: 'double' });
  if (values.some((v) => typeof v === 'boolean')) shapes.push({ type: 'boolean', nativeType: 'bool' });
  if (values.some((v) => typeof v === 'object' && v !== null)) shapes.push(UNKNOWN);
  return { shapes: sortedUnique(shapes), nullable: values.includes(null) };
}

function union(parts: Converted[]): Converted {
  return { shapes: sortedUnique(parts.flatMap((p) => p.shapes)), nullable: parts.some((p) => p.nullable) };
}

/** One shape, or a union whose `type` is the first alternative (a validator says nothing about frequency). */
function joined(shapes: ValueShape[]): ValueShape {
  if (shapes.length === 1) return shapes[0]!;
  const first = shapes.find((s) => s.type !== 'null') ?? shapes[0]!;
  return { type: first.type, nativeType: joinNative(shapes), types: shapes };
}

/** Alternatives in the fixed type order, identical ones once (the same branch written twice in `anyOf`). */
function sortedUnique(shapes: ValueShape[]): ValueShape[] {
  const keyed = new Map<string, ValueShape>();
  for (const s of shapes) keyed.set(canonicalJson(s), s);
  return [...keyed.entries()].sort(([ka, a], [kb, b]) => byTypeOrder(a, b) || byCodeUnits(ka, kb)).map(([, s]) => s);
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}
