import type { JsonSchemaTs } from './jsonSchemaTs';
import { objectLiteralKey, tsString } from './naming';

/**
 * JSON Schema → zod/v4 expression, case for case what JsonSchemaTs makes of the same schema: $ref (lazy, so
 * named schemas may refer to themselves and each other), enum/const, nullable (3.0) and `type: [..., "null"]`,
 * oneOf/anyOf as unions, allOf as intersections, tuples and arrays, objects with required/optional properties
 * and additionalProperties. The zod target declares each named schema and each operation's schema with the
 * ts-types type as its annotation (`z.ZodType<T.Pet>`), so the compiler holds the two together.
 */
type Schema = Record<string, unknown>;

export class JsonSchemaZod {
  constructor(
    private readonly ts: JsonSchemaTs,
    /** The zod schema name of a named schema's TypeScript name. */
    private readonly schemaName: (tsName: string) => string,
  ) {}

  of(schema: unknown, indent: string): string {
    if (schema === undefined || schema === true) return 'z.unknown()';
    if (schema === false) return 'z.never()';
    if (!schema || typeof schema !== 'object') return 'z.unknown()';
    const s = schema as Schema;
    const withNull = (z: string) => (s.nullable === true && z !== 'z.unknown()' && !z.endsWith('.nullable()') && z !== 'z.null()' ? `${z}.nullable()` : z);
    if (typeof s.$ref === 'string') {
      const target = this.ts.refTarget(s.$ref);
      return withNull(target ? `z.lazy(() => ${this.schemaName(target)})` : 'z.unknown()');
    }
    if ('const' in s) return withNull(literal(s.const));
    if (Array.isArray(s.enum)) return withNull(s.enum.length ? union(s.enum.map(literal)) : 'z.never()');
    for (const key of ['oneOf', 'anyOf'] as const) {
      if (Array.isArray(s[key])) return withNull(union((s[key] as unknown[]).map((x) => this.of(x, indent))));
    }
    if (Array.isArray(s.allOf)) {
      const parts = (s.allOf as unknown[]).map((x) => this.of(x, indent));
      if (s.properties) parts.push(this.object(s, indent));
      return withNull(parts.reduce((a, b) => `z.intersection(${a}, ${b})`));
    }
    let types = Array.isArray(s.type) ? (s.type as unknown[]).map(String) : typeof s.type === 'string' ? [s.type] : [];
    if (!types.length) types = s.properties || s.additionalProperties !== undefined ? ['object'] : s.items ? ['array'] : [];
    if (!types.length) return 'z.unknown()';
    return withNull(union(types.map((t) => this.single(t, s, indent))));
  }

  private single(type: string, s: Schema, indent: string): string {
    switch (type) {
      case 'string':
        return 'z.string()';
      case 'integer':
        return 'z.number().int()';
      case 'number':
        return 'z.number()';
      case 'boolean':
        return 'z.boolean()';
      case 'null':
        return 'z.null()';
      case 'array':
        return Array.isArray(s.items) ? `z.tuple([${(s.items as unknown[]).map((x) => this.of(x, indent)).join(', ')}])` : `z.array(${this.of(s.items, indent)})`;
      case 'object':
        return this.object(s, indent);
      default:
        return 'z.unknown()';
    }
  }

  private object(s: Schema, indent: string): string {
    const props = (s.properties && typeof s.properties === 'object' ? s.properties : {}) as Schema;
    const required = new Set(Array.isArray(s.required) ? s.required.map(String) : []);
    const extra = s.additionalProperties;
    const entries = Object.entries(props);
    const extraZod = extra === undefined || extra === true ? 'z.unknown()' : extra === false ? undefined : this.of(extra, indent);
    if (!entries.length) return `z.record(z.string(), ${extraZod ?? 'z.never()'})`;
    const inner = `${indent}  `;
    const lines = entries.map(([name, prop]) => `${inner}${objectLiteralKey(name)}: ${this.of(prop, inner)}${required.has(name) ? '' : '.optional()'},`);
    const shape = `{\n${lines.join('\n')}\n${indent}}`;
    // As ts-types: an index signature only when additionalProperties says something.
    if (extra === undefined) return `z.object(${shape})`;
    if (extra === false) return `z.strictObject(${shape})`;
    return `z.object(${shape}).catchall(${extraZod})`;
  }
}

function literal(v: unknown): string {
  if (typeof v === 'string') return `z.literal(${tsString(v)})`;
  if (typeof v === 'number' && Number.isFinite(v)) return `z.literal(${v})`;
  if (typeof v === 'boolean') return `z.literal(${v})`;
  if (v === null) return 'z.null()';
  return 'z.unknown()';
}

function union(parts: string[]): string {
  const unique = [...new Set(parts)];
  if (unique.includes('z.unknown()')) return 'z.unknown()';
  return unique.length === 1 ? unique[0]! : `z.union([${unique.join(', ')}])`;
}
