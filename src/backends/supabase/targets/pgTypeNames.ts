/**
 * PostgreSQL type names as `supabase gen types` sees them. It maps a type by its pg_type name (`int4`,
 * `_text`), while the model spells types as format_type does (`integer`, `text[]`, `character varying(20)`,
 * `extensions.citext`): these helpers translate, and say what TypeScript each built-in name becomes there.
 */

/** format_type's spellings of built-in types whose pg_type name differs. */
const FORMAT_TO_TYPNAME: Readonly<Record<string, string>> = {
  boolean: 'bool',
  smallint: 'int2',
  integer: 'int4',
  bigint: 'int8',
  real: 'float4',
  'double precision': 'float8',
  character: 'bpchar',
  'character varying': 'varchar',
  '"char"': 'char',
  'bit varying': 'varbit',
  'time without time zone': 'time',
  'time with time zone': 'timetz',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
};

/** The TypeScript of each built-in type name the generator knows; every other name is `unknown`. */
const BUILTIN_TS: Readonly<Record<string, string>> = {
  bool: 'boolean',
  int2: 'number',
  int4: 'number',
  int8: 'number',
  float4: 'number',
  float8: 'number',
  numeric: 'number',
  bytea: 'string',
  bpchar: 'string',
  varchar: 'string',
  date: 'string',
  text: 'string',
  citext: 'string',
  time: 'string',
  timetz: 'string',
  timestamp: 'string',
  timestamptz: 'string',
  uuid: 'string',
  vector: 'string',
  interval: 'string',
  json: 'Json',
  jsonb: 'Json',
  void: 'undefined',
  record: 'Record<string, unknown>',
};

export interface SplitNative {
  /** The element's pg_type name (for a built-in) or its unqualified name. */
  typname: string;
  array: boolean;
}

/**
 * `character varying(20)[]` → varchar, array; `timestamp(3) with time zone` → timestamptz;
 * `interval year to month` → interval; `extensions.citext` → citext; `"My Type"` → My Type.
 */
export function splitNative(native: string): SplitNative {
  let text = native.trim();
  let array = false;
  while (text.endsWith('[]')) {
    text = text.slice(0, -2).trimEnd();
    array = true;
  }
  // Type modifiers go; so do interval field restrictions.
  text = text.replace(/\([^)]*\)/g, '').replace(/\s+/g, ' ').trim();
  if (/^interval\b/.test(text)) return { typname: 'interval', array };
  const known = FORMAT_TO_TYPNAME[text];
  if (known) return { typname: known, array };
  return { typname: unqualified(text), array };
}

/** The last part of a possibly schema-qualified, possibly quoted name: `"my schema"."My ""T"""` → `My "T"`. */
function unqualified(name: string): string {
  const parts: string[] = [];
  let i = 0;
  while (i < name.length) {
    if (name[i] === '"') {
      let part = '';
      i++;
      while (i < name.length) {
        if (name[i] === '"' && name[i + 1] === '"') {
          part += '"';
          i += 2;
        } else if (name[i] === '"') {
          i++;
          break;
        } else part += name[i++];
      }
      parts.push(part);
    } else {
      let part = '';
      while (i < name.length && name[i] !== '.') part += name[i++];
      parts.push(part);
    }
    if (name[i] === '.') i++;
  }
  // The generator matches by pg_type name wherever the type lives (citext and vector in `extensions`).
  return parts[parts.length - 1] ?? name;
}

/** The TypeScript the generator writes for a built-in type name, or undefined when it does not know it. */
export function builtinTs(typname: string): string | undefined {
  return BUILTIN_TS[typname];
}

/** pg_type oids of common built-in types: the generator orders conflicting overloads by their argument's oid. */
export const BUILTIN_OIDS: Readonly<Record<string, number>> = {
  bool: 16, bytea: 17, char: 18, name: 19, int8: 20, int2: 21, int4: 23, text: 25, oid: 26, json: 114, xml: 142,
  point: 600, float4: 700, float8: 701, money: 790, macaddr: 829, inet: 869, cidr: 650, bpchar: 1042, varchar: 1043,
  date: 1082, time: 1083, timestamp: 1114, timestamptz: 1184, interval: 1186, timetz: 1266, bit: 1560, varbit: 1562,
  numeric: 1700, uuid: 2950, jsonb: 3802, record: 2249, void: 2278,
};
