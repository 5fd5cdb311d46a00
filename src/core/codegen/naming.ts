/**
 * Naming and literal helpers for generated TypeScript. Database identifiers can be anything (spaces, quotes,
 * unicode, reserved words, `__proto__`, names that differ only in case), so every name that reaches code
 * goes through here: type names are made valid and unique, property keys are quoted when needed, strings are
 * emitted as escaped literals.
 */
const TS_RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally ' +
    'for function if import in instanceof new null return super switch this throw true try typeof var void ' +
    'while with as implements interface let package private protected public static yield any boolean ' +
    'constructor declare get module require number set string symbol type from of unknown never object ' +
    'undefined bigint await async is keyof readonly infer unique satisfies accessor Date Json Interval Uint8Array ' +
    'Array Record Partial Promise Object'
  ).split(' '),
);

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u;

/** Words of a database name: split on non-alphanumerics and lower→upper case boundaries. */
function words(name: string): string[] {
  return name
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

export function pascalCase(name: string): string {
  const out = words(name)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  if (!out) return 'Unnamed';
  return /^\p{N}/u.test(out) ? `T${out}` : out;
}

export function camelCase(name: string): string {
  const p = pascalCase(name);
  const out = p.charAt(0).toLowerCase() + p.slice(1);
  return TS_RESERVED.has(out) ? `${out}_` : out;
}

/**
 * A JSON value as a literal safe inside TS/JS source, also inside a `//` comment: JSON escaping plus the two
 * line terminators JSON allows raw but JavaScript does not.
 */
export function jsLiteral(value: unknown): string {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A string literal safe inside TS/JS source. */
export function tsString(value: string): string {
  return jsLiteral(value);
}

/** A property key: bare when it is a plain identifier, quoted otherwise (and always for `__proto__`). */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) && name !== '__proto__' ? name : tsString(name);
}

/**
 * A key in an object literal that runs, not only types: `"__proto__": v` there would set the prototype
 * instead of making a property, so that one is written as a computed key.
 */
export function objectLiteralKey(name: string): string {
  return name === '__proto__' ? `[${tsString(name)}]` : propertyKey(name);
}

/** Text safe inside a JSDoc block comment. */
export function docText(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/\r?\n/g, ' ').trim();
}

/** Hands out names unique within one scope, so `customers` and `Customers` don't both become `Customers`. */
export class NameAllocator {
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.taken.add(r);
  }

  /** Allocates a base such that base + every suffix is free, and marks them all taken. */
  allocate(wanted: string, suffixes: readonly string[] = ['']): string {
    const base = TS_RESERVED.has(wanted) ? `${wanted}_` : wanted;
    let candidate = base;
    for (let n = 2; suffixes.some((s) => this.taken.has(candidate + s)); n++) candidate = `${base}_${n}`;
    for (const s of suffixes) this.taken.add(candidate + s);
    return candidate;
  }
}

/** A file name stem for a namespace: ascii, lower case, unique case-insensitively among `allocator`'s. */
export function fileStem(name: string, taken: Set<string>): string {
  const base =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'schema';
  let stem = base;
  for (let n = 2; taken.has(stem); n++) stem = `${base}-${n}`;
  taken.add(stem);
  return stem;
}

/**
 * Text safe in Markdown prose and table cells: no markup, no raw HTML, no line breaks (a cell is one line).
 * Names and comments come from servers and shared files and must render as the text they are.
 */
export function mdText(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`))
    .trim();
}

/**
 * A Markdown code span holding `text` verbatim: the fence is one backtick longer than the longest run inside,
 * padded when the text starts or ends with a backtick. `|` is escaped, which GitHub's tables require even
 * inside code spans.
 */
export function mdCode(text: string): string {
  const flat = text.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
