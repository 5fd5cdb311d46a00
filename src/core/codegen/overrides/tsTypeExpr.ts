/**
 * Checks that a `tsType` override is one TypeScript type expression and nothing else, because its text is
 * pasted into generated code. It is a deliberately small grammar (a recursive-descent parser over a
 * tokenizer that knows no comments, template literals or line breaks) rather than the TypeScript compiler,
 * which would add 9 MB to the extension and the CLI: anything it accepts is a type TypeScript parses too
 * (test/unit/overrides.tsType.test.ts checks that against the real parser), and anything that could end the
 * type and start a statement is refused.
 *
 * Accepted: type references with type arguments (`Record<string, Foo>`, `ns.Type`), unions, intersections,
 * arrays (`T[]`, `readonly T[]`), indexed access (`T['k']`), `keyof`, `typeof x.y`, object types with
 * property and index signatures, tuples (optional, rest and named elements), parentheses, and string,
 * number, boolean, `null` and `undefined` literals. Not accepted: function, conditional, mapped and template
 * literal types, and `import("…")` types — declare such a type in your own module and import it by name.
 */
export const MAX_TS_TYPE_LENGTH = 500;
const MAX_DEPTH = 40;

type TokenKind = 'ident' | 'string' | 'number' | 'punct';
interface Token {
  kind: TokenKind;
  text: string;
  at: number;
}

const PUNCT = ['...', '|', '&', '(', ')', '[', ']', '{', '}', '<', '>', ',', ';', ':', '?', '.', '-'];
const IDENT_START = /[\p{ID_Start}$_]/u;
const IDENT_PART = /[\p{ID_Continue}$\u200C\u200D]/u;

/** Words that start statements or expressions: never a type name. */
const NOT_TYPE_NAMES = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends finally for function if import ' +
    'in instanceof new return super switch throw try var while with let static yield await package private protected public ' +
    'implements interface as satisfies declare module namespace require abstract async').split(' '),
);

export class TsTypeError extends Error {}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    if (ch === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) throw new TsTypeError('must not contain comments');
    if (ch === '`') throw new TsTypeError('template literal types are not supported');
    if (ch === '"' || ch === "'") {
      const end = stringEnd(text, i);
      tokens.push({ kind: 'string', text: text.slice(i, end), at: i });
      i = end;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][+-]?[0-9]+)?)n?/.exec(text.slice(i));
      const num = m?.[0] ?? '';
      if (!num || IDENT_PART.test(text[i + num.length] ?? '')) throw new TsTypeError(`has a malformed number at column ${i + 1}`);
      tokens.push({ kind: 'number', text: num, at: i });
      i += num.length;
      continue;
    }
    const cp = String.fromCodePoint(text.codePointAt(i)!);
    if (IDENT_START.test(cp)) {
      let j = i + cp.length;
      for (;;) {
        const c = text.codePointAt(j);
        if (c === undefined) break;
        const s = String.fromCodePoint(c);
        if (!IDENT_PART.test(s)) break;
        j += s.length;
      }
      tokens.push({ kind: 'ident', text: text.slice(i, j), at: i });
      i = j;
      continue;
    }
    const p = PUNCT.find((x) => text.startsWith(x, i));
    if (!p) throw new TsTypeError(`has an unexpected character ${JSON.stringify(ch)} at column ${i + 1}`);
    tokens.push({ kind: 'punct', text: p, at: i });
    i += p.length;
  }
  return tokens;
}

/** The index after a string literal's closing quote; escapes allowed, line breaks not. */
function stringEnd(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === quote) return i + 1;
  }
  throw new TsTypeError('has an unterminated string literal');
}

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  parseAll(): void {
    if (!this.tokens.length) throw new TsTypeError('is empty');
    this.type();
    const rest = this.peek();
    if (rest) throw new TsTypeError(`has ${JSON.stringify(rest.text)} after the type, at column ${rest.at + 1}`);
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }
  private is(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return !!t && t.text === text && (t.kind === 'punct' || t.kind === 'ident');
  }
  private take(text: string): boolean {
    if (!this.is(text)) return false;
    this.pos++;
    return true;
  }
  private expect(text: string): void {
    if (!this.take(text)) throw this.unexpected(`expected ${JSON.stringify(text)}`);
  }
  private unexpected(what: string): TsTypeError {
    const t = this.peek();
    return new TsTypeError(t ? `${what} at column ${t.at + 1}, found ${JSON.stringify(t.text)}` : `${what}, found the end`);
  }

  private nested<T>(fn: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new TsTypeError('is nested too deeply');
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  type(): void {
    this.nested(() => {
      this.take('|');
      this.intersection();
      while (this.take('|')) this.intersection();
    });
  }

  private intersection(): void {
    this.take('&');
    this.operator();
    while (this.take('&')) this.operator();
  }

  private operator(): void {
    if (this.is('keyof') && !this.endsOperand(1)) {
      this.pos++;
      return this.nested(() => this.operator());
    }
    if (this.is('readonly') && (this.is('[', 1) || this.peek(1)?.kind === 'ident' || this.is('(', 1))) {
      this.pos++;
      return this.nested(() => this.operator());
    }
    this.postfix();
  }

  /** `keyof` alone is a type name only when nothing that could be its operand follows. */
  private endsOperand(offset: number): boolean {
    const t = this.peek(offset);
    return !t || (t.kind === 'punct' && ['|', '&', ')', ']', '>', ',', ';', '}'].includes(t.text));
  }

  private postfix(): void {
    this.primary();
    while (this.is('[')) {
      this.pos++;
      if (this.take(']')) continue;
      this.type();
      this.expect(']');
    }
  }

  private primary(): void {
    const t = this.peek();
    if (!t) throw this.unexpected('expected a type');
    if (t.kind === 'string' || t.kind === 'number') {
      this.pos++;
      return;
    }
    if (this.is('-') && this.peek(1)?.kind === 'number') {
      this.pos += 2;
      return;
    }
    if (this.take('(')) {
      this.type();
      this.expect(')');
      return;
    }
    if (this.is('{')) return this.objectType();
    if (this.is('[')) return this.tupleType();
    if (t.kind === 'ident') {
      if (t.text === 'typeof') {
        this.pos++;
        return this.qualifiedName();
      }
      if (t.text === 'import') throw new TsTypeError('import() types are not supported: name the type and give it in "import"');
      this.qualifiedName();
      if (this.take('<')) {
        this.type();
        while (this.take(',')) this.type();
        this.expect('>');
      }
      return;
    }
    throw this.unexpected('expected a type');
  }

  private qualifiedName(): void {
    this.identifier();
    while (this.take('.')) this.identifier();
  }

  private identifier(): void {
    const t = this.peek();
    if (!t || t.kind !== 'ident') throw this.unexpected('expected a name');
    if (NOT_TYPE_NAMES.has(t.text)) throw new TsTypeError(`uses the keyword ${JSON.stringify(t.text)} at column ${t.at + 1}`);
    this.pos++;
  }

  private objectType(): void {
    this.expect('{');
    while (!this.take('}')) {
      this.member();
      if (this.take(';') || this.take(',')) continue;
      if (!this.is('}')) throw this.unexpected('expected ";" or "}"');
    }
  }

  private member(): void {
    if (this.is('readonly') && !this.is(':', 1) && !this.is('?', 1)) this.pos++;
    if (this.is('[')) {
      // An index signature: [key: string]: T
      this.pos++;
      const key = this.peek();
      if (!key || key.kind !== 'ident') throw this.unexpected('expected an index signature key');
      this.pos++;
      this.expect(':');
      this.type();
      this.expect(']');
    } else {
      const name = this.peek();
      if (!name || name.kind === 'punct') throw this.unexpected('expected a property name');
      this.pos++;
      this.take('?');
    }
    this.expect(':');
    this.type();
  }

  private tupleType(): void {
    this.expect('[');
    while (!this.take(']')) {
      this.take('...');
      const named = this.peek()?.kind === 'ident' && (this.is(':', 1) || (this.is('?', 1) && this.is(':', 2)));
      if (named) {
        this.pos++;
        this.take('?');
        this.expect(':');
        this.type();
      } else {
        this.type();
        this.take('?');
      }
      if (!this.take(',') && !this.is(']')) throw this.unexpected('expected "," or "]"');
    }
  }
}

/** The type text, trimmed, or throws a TsTypeError saying what is wrong with it. */
export function checkTsType(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length > MAX_TS_TYPE_LENGTH) throw new TsTypeError(`is longer than ${MAX_TS_TYPE_LENGTH} characters`);
  if (/[\r\n\u2028\u2029]/.test(trimmed)) throw new TsTypeError('must be on one line');
  new Parser(tokenize(trimmed)).parseAll();
  return trimmed;
}

/** An error message for a bad type expression, or undefined when it is fine. */
export function tsTypeProblem(text: string): string | undefined {
  try {
    checkTsType(text);
    return undefined;
  } catch (err) {
    if (err instanceof TsTypeError) return `is not a TypeScript type expression: it ${err.message}`;
    throw err;
  }
}
