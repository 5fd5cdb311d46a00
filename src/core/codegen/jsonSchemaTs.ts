import { docText, NameAllocator, pascalCase, propertyKey, tsString } from './naming';

/**
 * JSON Schema (as OpenAPI 3.0/3.1 and declared endpoints use it) → TypeScript type text. Named schemas
 * (`$defs`, from `components/schemas`) become named declarations shared by every operation; everything else
 * is inlined. Covers $ref, enum/const, nullable (3.0) and `type: [..., "null"]` (3.1), oneOf/anyOf/allOf,
 * arrays, objects with required/optional properties and additionalProperties. Property names go through
 * propertyKey, so `content-type`, `__proto__` or `1st` are quoted.
 */
type Schema = Record<string, unknown>;

export interface TypeDeclaration {
  name: string;
  comment: string;
  type: string;
}

export class JsonSchemaTs {
  private readonly named = new Map<string, { tsName: string; schema: unknown }>();

  constructor(readonly names: NameAllocator) {}

  /** Registers the `$defs` a schema carries (first definition of a name wins), before any type is rendered. */
  collect(schema: unknown): void {
    if (!schema || typeof schema !== 'object') return;
    const defs = (schema as Schema).$defs;
    if (!defs || typeof defs !== 'object') return;
    for (const [name, def] of Object.entries(defs as Schema)) {
      if (!this.named.has(name)) this.named.set(name, { tsName: this.names.allocate(pascalCase(name)), schema: def });
    }
  }

  /** The named schemas and their TypeScript names, in the order collected. */
  namedSchemas(): { name: string; tsName: string; schema: unknown }[] {
    return [...this.named.entries()].map(([name, { tsName, schema }]) => ({ name, tsName, schema }));
  }

  /** The TypeScript name a `$ref` points at, if it names a collected schema. */
  refTarget(ref: string): string | undefined {
    const m = /^#\/(?:\$defs|definitions|components\/schemas)\/(.+)$/.exec(ref);
    const name = m ? fromPointer(m[1]!) : undefined;
    return name ? this.named.get(name)?.tsName : undefined;
  }

  declarations(): TypeDeclaration[] {
    return [...this.named.entries()].map(([name, { tsName, schema }]) => ({
      name: tsName,
      comment: docText(describe(schema) ?? `Schema ${name}`),
      type: this.typeOf(schema, ''),
    }));
  }

  /** The TS type of a schema; `indent` is the indentation of the line the type starts on. */
  typeOf(schema: unknown, indent: string): string {
    if (schema === undefined || schema === true) return 'unknown';
    if (schema === false) return 'never';
    if (!schema || typeof schema !== 'object') return 'unknown';
    const s = schema as Schema;
    const nullable = s.nullable === true;
    const withNull = (t: string) => (nullable && t !== 'unknown' && !/\bnull$/.test(t) ? `${t} | null` : t);
    if (typeof s.$ref === 'string') return withNull(this.refName(s.$ref));
    if ('const' in s) return withNull(literal(s.const));
    if (Array.isArray(s.enum)) return withNull(s.enum.length ? [...new Set(s.enum.map(literal))].join(' | ') : 'never');
    for (const key of ['oneOf', 'anyOf'] as const) {
      if (Array.isArray(s[key])) return withNull(union((s[key] as unknown[]).map((x) => this.typeOf(x, indent))));
    }
    if (Array.isArray(s.allOf)) {
      const parts = (s.allOf as unknown[]).map((x) => this.typeOf(x, indent));
      const own = s.properties ? [this.objectType(s, indent)] : [];
      return withNull([...parts, ...own].map(wrap).join(' & '));
    }
    let types = Array.isArray(s.type) ? (s.type as unknown[]).map(String) : typeof s.type === 'string' ? [s.type] : [];
    if (!types.length) types = s.properties || s.additionalProperties !== undefined ? ['object'] : s.items ? ['array'] : [];
    if (!types.length) return 'unknown';
    return withNull(union(types.map((t) => this.single(t, s, indent))));
  }

  private single(type: string, s: Schema, indent: string): string {
    switch (type) {
      case 'string':
        return 'string';
      case 'integer':
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'array':
        return Array.isArray(s.items) ? `[${(s.items as unknown[]).map((x) => this.typeOf(x, indent)).join(', ')}]` : `${wrap(this.typeOf(s.items, indent))}[]`;
      case 'object':
        return this.objectType(s, indent);
      default:
        return 'unknown';
    }
  }

  private objectType(s: Schema, indent: string): string {
    const props = (s.properties && typeof s.properties === 'object' ? s.properties : {}) as Schema;
    const required = new Set(Array.isArray(s.required) ? s.required.map(String) : []);
    const extra = s.additionalProperties;
    const entries = Object.entries(props);
    const extraType = extra === undefined || extra === true ? 'unknown' : extra === false ? undefined : this.typeOf(extra, indent);
    if (!entries.length) return extraType === undefined ? 'Record<string, never>' : `Record<string, ${extraType}>`;
    const inner = `${indent}  `;
    const lines: string[] = [];
    const propTypes: string[] = [];
    for (const [name, prop] of entries) {
      const doc = describe(prop);
      if (doc) lines.push(`${inner}/** ${docText(doc)} */`);
      const t = this.typeOf(prop, inner);
      propTypes.push(t);
      lines.push(`${inner}${propertyKey(name)}${required.has(name) ? '' : '?'}: ${t};`);
    }
    // An index signature must admit every declared property's type, or TypeScript rejects the interface.
    if (extraType !== undefined && extra !== undefined) {
      const all = extraType === 'unknown' ? 'unknown' : union([extraType, ...propTypes, 'undefined']);
      lines.push(`${inner}[key: string]: ${all};`);
    }
    return `{\n${lines.join('\n')}\n${indent}}`;
  }

  private refName(ref: string): string {
    return this.refTarget(ref) ?? 'unknown';
  }
}

/** A JSON Pointer token in a URI fragment: percent-decoded (a malformed escape is kept as written), then ~1 and ~0. */
function fromPointer(token: string): string {
  let decoded = token;
  try {
    decoded = decodeURIComponent(token);
  } catch {
    // `%` not followed by two hex digits: a name with a percent sign, not an escape.
  }
  return decoded.replace(/~1/g, '/').replace(/~0/g, '~');
}

function describe(schema: unknown): string | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const s = schema as Schema;
  const text = [s.title, s.description].filter((x): x is string => typeof x === 'string' && !!x.trim()).join(': ');
  const extra = [typeof s.format === 'string' ? `format ${s.format}` : '', s.deprecated === true ? '@deprecated' : ''].filter(Boolean).join(', ');
  return [text, extra].filter(Boolean).join(' — ') || undefined;
}

function literal(v: unknown): string {
  if (typeof v === 'string') return tsString(v);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean' || v === null) return String(v);
  return 'unknown';
}

function union(types: string[]): string {
  const unique = [...new Set(types)];
  if (unique.includes('unknown')) return 'unknown';
  return unique.map((t) => (unique.length > 1 && t.includes(' & ') ? `(${t})` : t)).join(' | ');
}

/** Parenthesises unions and intersections before `[]` or `&`. */
function wrap(t: string): string {
  return /^[\w.]+(<.*>)?(\[\])*$|^\{[\s\S]*\}$|^\[.*\]$|^"[^"]*"$/.test(t) && !/^\{[\s\S]*\}\s*[|&]/.test(t) ? t : `(${t})`;
}
