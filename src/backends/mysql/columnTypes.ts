import type { NeutralType } from '../../core/model';
import type { ServerInfo } from './server';
import { atLeast } from './server';

/** information_schema's DATA_TYPE → neutral type; TINYINT(1), ENUM, SET and JSON are decided in `columnShape`. */
const BY_DATA_TYPE: Record<string, NeutralType> = {
  tinyint: 'integer', smallint: 'integer', mediumint: 'integer', int: 'integer', integer: 'integer', year: 'integer',
  bigint: 'bigint',
  decimal: 'decimal', numeric: 'decimal', dec: 'decimal', fixed: 'decimal',
  float: 'float', double: 'float', real: 'float', 'double precision': 'float',
  bit: 'bytes', binary: 'bytes', varbinary: 'bytes', tinyblob: 'bytes', blob: 'bytes', mediumblob: 'bytes', longblob: 'bytes',
  date: 'date', datetime: 'timestamp', timestamp: 'timestamptz', time: 'time',
  char: 'string', varchar: 'string', tinytext: 'string', text: 'string', mediumtext: 'string', longtext: 'string',
  json: 'json',
  uuid: 'uuid', inet4: 'string', inet6: 'string',
  // Spatial types: the value mapping types them by name (nativeType), see mapping.ts.
  geometry: 'unknown', point: 'unknown', linestring: 'unknown', polygon: 'unknown', multipoint: 'unknown',
  multilinestring: 'unknown', multipolygon: 'unknown', geometrycollection: 'unknown', geomcollection: 'unknown',
};

export interface ColumnShape {
  type: NeutralType;
  /** ENUM: its values. */
  values?: string[];
  /** SET: an array of these values. */
  items?: { type: 'enum'; values: string[] };
}

/**
 * A column's neutral shape. `json` is true for MariaDB's JSON (LONGTEXT with a json_valid check named after
 * the column); MySQL's JSON has a type of its own.
 */
export function columnShape(dataType: string, columnType: string, json: boolean, tinyint1AsBoolean: boolean): ColumnShape {
  const dt = dataType.toLowerCase();
  if (dt === 'enum') return { type: 'enum', values: quotedList(columnType) };
  if (dt === 'set') return { type: 'array', items: { type: 'enum', values: quotedList(columnType) } };
  if (json) return { type: 'json' };
  // MySQL 8.0.19+ prints integer types without a display width (`int`, `bigint unsigned`) except TINYINT(1),
  // which it keeps because that is how BOOL is spelled; MariaDB prints widths everywhere.
  if (dt === 'tinyint' && tinyint1AsBoolean && /^tinyint\(1\)$/i.test(columnType.trim())) return { type: 'boolean' };
  return { type: BY_DATA_TYPE[dt] ?? 'unknown' };
}

const ESCAPES: Record<string, string> = { '0': '\0', n: '\n', r: '\r', t: '\t', b: '\b', Z: '\x1a' };

/**
 * The values of `enum('a','it''s','back\\slash')` as the server prints COLUMN_TYPE: single-quoted, a quote
 * doubled, backslash escapes as in SQL string literals. A scanner, since values may hold commas and quotes.
 */
export function quotedList(columnType: string): string[] {
  const open = columnType.indexOf('(');
  const out: string[] = [];
  let i = open + 1;
  while (open >= 0 && i < columnType.length) {
    const ch = columnType[i]!;
    if (ch !== "'") {
      i++;
      continue;
    }
    let value = '';
    for (i++; i < columnType.length; i++) {
      const c = columnType[i]!;
      if (c === "'" && columnType[i + 1] === "'") {
        value += "'";
        i++;
      } else if (c === "'") {
        break;
      } else if (c === '\\' && i + 1 < columnType.length) {
        const next = columnType[++i]!;
        value += ESCAPES[next] ?? next;
      } else {
        value += c;
      }
    }
    out.push(value);
    i++;
  }
  return out;
}

const NUMERIC_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'decimal', 'numeric', 'dec', 'fixed', 'float', 'double', 'real', 'year']);

/**
 * A column default as SQL, the same on both servers: string literals quoted (`'it''s'`), numbers bare, bit
 * values `b'101'`, `CURRENT_TIMESTAMP` / `CURRENT_TIMESTAMP(3)` in one spelling, other expressions as the server
 * prints them; null when the column has no default or defaults to NULL.
 *
 * MariaDB 10.2.7+ prints COLUMN_DEFAULT as SQL already, with `'NULL'` for a NULL default and
 * `current_timestamp()` in lower case. MySQL (and older MariaDB) print a literal's bare text and flag
 * expressions with DEFAULT_GENERATED in EXTRA (8.0.13+); before that, CURRENT_TIMESTAMP was the only one.
 */
export function normaliseDefault(raw: string | null, extra: string, dataType: string, server: ServerInfo): string | null {
  if (raw === null) return null;
  const now = /^(?:current_timestamp|now|localtimestamp|localtime)(?:\((\d*)\))?$/i.exec(raw.trim());
  if (now) return now[1] ? `CURRENT_TIMESTAMP(${now[1]})` : 'CURRENT_TIMESTAMP';
  const printsSql = server.flavor === 'mariadb' && atLeast(server, 10, 2, 7);
  if (printsSql) return raw === 'NULL' ? null : raw;
  if (/\bDEFAULT_GENERATED\b/i.test(extra)) return raw;
  const dt = dataType.toLowerCase();
  if (NUMERIC_TYPES.has(dt) || (dt === 'bit' && /^b'[01]*'$/i.test(raw))) return raw;
  return `'${raw.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** `(expr)` → `expr` when the parentheses wrap all of it: MySQL 8 adds them around CHECK clauses, MariaDB does not. */
export function unwrapParens(expression: string): string {
  let text = expression.trim();
  while (text.startsWith('(') && text.endsWith(')') && closingParen(text) === text.length - 1) text = text.slice(1, -1).trim();
  return text;
}

/** Index of the parenthesis closing the one at 0, skipping quoted text; -1 if none. */
function closingParen(text: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** An identifier quoted as the server quotes it in expressions (`json_valid(\`doc\`)`). */
export function backtick(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}
