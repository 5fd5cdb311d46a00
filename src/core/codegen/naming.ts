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

/**
 * Words of a database name: split on non-alphanumerics and lower→upper case boundaries. Only letters, letter
 * numbers and decimal digits make words: other numbers (`²`, `½`, `①`) cannot be part of an identifier.
 */
function words(name: string): string[] {
  return name
    .replace(/([\p{Ll}\p{Nd}\p{Nl}])(\p{Lu})/gu, '$1 $2')
    .split(/[^\p{L}\p{Nl}\p{Nd}]+/u)
    .filter(Boolean);
}

export function pascalCase(name: string): string {
  const out = words(name)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  if (!out) return 'Unnamed';
  return /^\p{Nd}/u.test(out) ? `T${out}` : out;
}

export function camelCase(name: string): string {
  const p = pascalCase(name);
  const out = p.charAt(0).toLowerCase() + p.slice(1);
  return TS_RESERVED.has(out) ? `${out}_` : out;
}

/**
 * The escapers, one per place text lands in generated code. Every one of them handles the characters that end
 * or escape a context: the four ECMAScript line terminators (LF, CR, U+2028, U+2029; TypeScript's scanner uses
 * the same four), `*\/`, quotes and backslashes, and characters that are invisible or reorder text on screen
 * (C0/C1 controls, U+0085 NEL, bidi overrides, BOM) — NEL is not a JS line terminator, but editors and
 * terminals may break the line there, so a reader would see code the parser does not. `${` and backticks only
 * matter inside template literals, which no escaper emits: comments and quoted strings take them verbatim.
 */
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029\u0085]/g;
const LINE_RUNS = /[\r\n\u2028\u2029\u0085]+/g;
/** Controls (C0 but tab, DEL, C1), bidi marks and overrides, the BOM: invisible, or reordering what is shown. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
/** What JSON.stringify leaves raw but a literal in source should not carry raw (JSON escapes C0 itself). */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const unicodeEscape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * A JSON value as a literal safe inside TS/JS source, also inside a `//` comment: JSON escaping (quotes,
 * backslashes, C0 controls, lone surrogates) plus the characters JSON allows raw but source should not hold.
 */
export function jsLiteral(value: unknown): string {
  return JSON.stringify(value).replace(RAW_IN_JSON, unicodeEscape);
}

/** Context: a string literal. Double-quoted, so `${` and backticks are plain characters in it. */
export function tsString(value: string): string {
  return jsLiteral(value);
}

/** One line of comment text: line breaks become spaces, invisible characters go, `*\/` cannot close a comment. */
function commentText(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(INVISIBLE, ' ').replace(/\*\//g, '*\\/').trim();
}

/** Context: the rest of a `//` line. */
export function lineComment(text: string): string {
  return commentText(text);
}

/** Context: inside a `/* … *\/` or JSDoc block comment, kept on one line. */
export function blockComment(text: string): string {
  return commentText(text);
}

/** Text safe inside a JSDoc block comment (the name templates and targets have always used). */
export const docText = blockComment;

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

/** Words that cannot name a binding, a type or a member declaration in any position. */
const KEYWORDS = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'implements interface let package private protected public static yield await'
  ).split(' '),
);

/**
 * Context: an identifier (a type, class, method or constant name). Names are made by pascalCase/camelCase and
 * a NameAllocator, which already give valid identifiers; this guarantees it for any text, so a template cannot
 * be made to print something else where a name belongs. A valid name comes back unchanged.
 */
export function identifier(name: string): string {
  if (IDENTIFIER.test(name) && !KEYWORDS.has(name)) return name;
  let out = [...name].map((c) => (/[\p{ID_Continue}$\u200C\u200D]/u.test(c) ? c : '_')).join('');
  if (!/^[\p{ID_Start}$_]/u.test(out)) out = `_${out}`;
  return KEYWORDS.has(out) ? `${out}_` : out;
}

/** Hands out names unique within one scope, so `customers` and `Customers` don't both become `Customers`. */
export class NameAllocator {
  private readonly taken = new Set<string>();
  /**
   * Where the search for a base (with a set of suffixes) ended last time. Names are never given back, so
   * every candidate before it is still taken: the next search starts there. Without this, a name wanted k
   * times (a split namespace's parts each importing the same type from another namespace) cost k²/2 tries.
   */
  private readonly resume = new Map<string, number>();

  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.taken.add(r);
  }

  /** Allocates the first of base, base_2, base_3, … such that it + every suffix is free, and marks them all taken. */
  allocate(wanted: string, suffixes: readonly string[] = ['']): string {
    const base = TS_RESERVED.has(wanted) ? `${wanted}_` : wanted;
    const key = JSON.stringify([base, ...suffixes]);
    let n = this.resume.get(key) ?? 1;
    let candidate = n === 1 ? base : `${base}_${n}`;
    while (suffixes.some((s) => this.taken.has(candidate + s))) candidate = `${base}_${++n}`;
    this.resume.set(key, n);
    for (const s of suffixes) this.taken.add(candidate + s);
    return candidate;
  }
}

/** Any name in file-name characters: lower case ASCII letters, digits, `_` and `-`, every other run one `_`. */
export function stemCharacters(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_');
}

/** `base`, or `base-2`, `base-3`, … : the first one not in `taken`, which it is added to. */
export function claimStem(base: string, taken: Set<string>): string {
  let stem = base;
  for (let n = 2; taken.has(stem); n++) stem = `${base}-${n}`;
  taken.add(stem);
  return stem;
}

/** A file name stem for a namespace: ascii, lower case, unique case-insensitively among `allocator`'s. */
export function fileStem(name: string, taken: Set<string>): string {
  return claimStem(stemCharacters(name).replace(/^_+|_+$/g, '') || 'schema', taken);
}

/**
 * Text safe in Markdown prose and table cells: no markup, no raw HTML, no line breaks (a cell is one line).
 * Names and comments come from servers and shared files and must render as the text they are.
 */
export function mdText(text: string): string {
  return text
    .replace(LINE_RUNS, ' ')
    .replace(INVISIBLE, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`))
    .trim();
}

/**
 * A Markdown code span holding `text` verbatim: the fence is one backtick longer than the longest run inside,
 * padded when the text starts or ends with a backtick. `|` is escaped, which GitHub's tables require even
 * inside code spans.
 */
export function mdCode(text: string): string {
  const flat = text.replace(LINE_RUNS, ' ').replace(INVISIBLE, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
