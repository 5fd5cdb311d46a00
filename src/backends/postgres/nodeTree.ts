/**
 * A reader for PostgreSQL's node tree text (`pg_node_tree`, as in pg_rewrite.ev_action): the format of
 * outfuncs.c, read back the way readfuncs.c's pg_strtok does. `{NAME :field value …}` is a node, `( … )` a
 * list (`(i 1 2)`, `(o …)`, `(b …)`, `(x …)` are typed lists of numbers), `<>` is null, and a constant's
 * datum is `<length> [ b b … ]`. Tokens end at white space or a parenthesis or brace unless backslashed.
 *
 * The tree is data, never trusted: the reader gives plain objects whose field values are strings, nodes,
 * lists or null, and the caller checks what it reads.
 */
export interface PgNode {
  readonly type: string;
  readonly fields: ReadonlyMap<string, PgValue>;
  /** Fields read only when asked (the parser's `lazy`): their text, parsed by the accessors below on first use. */
  readonly deferred?: Map<string, () => PgValue>;
}
export type PgValue = PgNode | PgValue[] | string | null;

export class NodeTreeError extends Error {}

/**
 * Reads tokens one at a time, straight from the text (no token array: a view's tree is tens of thousands of
 * tokens). `raw` is the token as written, backslashes included (tells `{` from `\{`); `text` has them removed.
 */
class Lexer {
  private i = 0;
  /** Where the read-ahead token starts. */
  private start = 0;
  /** The token after the current position, read ahead; undefined at the end of the text. */
  private peeked: { raw: string; text: string } | undefined;

  constructor(private readonly input: string) {
    this.peeked = this.read();
  }

  done(): boolean {
    return this.peeked === undefined;
  }

  /** The next token's raw text, without consuming it. */
  peek(): string | undefined {
    return this.peeked?.raw;
  }

  next(): { raw: string; text: string } {
    const t = this.peeked;
    if (!t) throw new NodeTreeError('the node tree ends early');
    this.peeked = this.read();
    return t;
  }

  /**
   * Consumes the next value without building it: one token, or a whole `{…}` / `( … )` by counting brackets
   * (a bracket inside a token is always backslashed, so the count is exact).
   */
  skipValue(): string {
    const from = this.start;
    const first = this.peeked?.raw;
    if (first !== '{' && first !== '(') return this.next().raw;
    const input = this.input;
    const n = input.length;
    let i = this.i;
    let depth = 1;
    while (depth > 0) {
      if (i >= n) throw new NodeTreeError('the node tree ends early');
      const c = input.charCodeAt(i);
      if (c === BACKSLASH) i += 2;
      else {
        if (c === 0x28 || c === 0x7b) depth++;
        else if (c === 0x29 || c === 0x7d) depth--;
        i++;
      }
    }
    this.i = i;
    this.peeked = this.read();
    return this.input.slice(from, i);
  }

  private read(): { raw: string; text: string } | undefined {
    const input = this.input;
    const n = input.length;
    let i = this.i;
    while (i < n && isSpace(input.charCodeAt(i))) i++;
    this.start = i;
    if (i >= n) {
      this.i = i;
      return undefined;
    }
    const c = input.charCodeAt(i);
    if (isBracket(c)) {
      this.i = i + 1;
      const raw = input[i]!;
      return { raw, text: raw };
    }
    const start = i;
    let escaped = false;
    while (i < n) {
      const d = input.charCodeAt(i);
      if (isSpace(d) || isBracket(d)) break;
      if (d === BACKSLASH && i + 1 < n) {
        escaped = true;
        i += 2;
      } else i++;
    }
    this.i = i;
    const raw = input.slice(start, i);
    return { raw, text: escaped ? raw.replace(/\\(.)/gs, '$1') : raw };
  }
}

const BACKSLASH = 0x5c;
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
/** ( ) { } */
const isBracket = (c: number) => c === 0x28 || c === 0x29 || c === 0x7b || c === 0x7d;

const TYPED_LIST = new Set(['i', 'o', 'b', 'x']);

interface ParseOptions {
  /** Only fields of these names are built; the others are skipped unread and absent. */
  keep?: ReadonlySet<string>;
  /** Fields kept as text and parsed (with the same options) only when an accessor first reads them. */
  lazy?: ReadonlySet<string>;
}

class Reader {
  constructor(
    private readonly lexer: Lexer,
    private readonly opts: ParseOptions,
  ) {}

  done(): boolean {
    return this.lexer.done();
  }

  private next(): { raw: string; text: string } {
    return this.lexer.next();
  }

  value(): PgValue {
    const t = this.next();
    if (t.raw === '{') return this.node();
    if (t.raw === '(') return this.list();
    if (t.raw === '<>') return null;
    if (t.raw === ')' || t.raw === '}') throw new NodeTreeError(`unexpected ${t.raw}`);
    // A String value node is written in double quotes (PostgreSQL 15+ and before).
    if (t.raw.length >= 2 && t.raw.startsWith('"') && t.raw.endsWith('"')) return t.text.slice(1, -1);
    return t.text;
  }

  private node(): PgNode {
    const type = this.next().text;
    const fields = new Map<string, PgValue>();
    let deferred: Map<string, () => PgValue> | undefined;
    for (;;) {
      const t = this.next();
      if (t.raw === '}') return deferred ? { type, fields, deferred } : { type, fields };
      if (!t.raw.startsWith(':')) throw new NodeTreeError(`expected a field of ${type}, found ${JSON.stringify(t.raw.slice(0, 20))}`);
      const name = t.raw.slice(1);
      const { keep, lazy } = this.opts;
      let kept = !keep || keep.has(name);
      let v: PgValue = null;
      if (lazy?.has(name)) {
        const text = this.lexer.skipValue();
        (deferred ??= new Map()).set(name, () => parseNodeTree(text, this.opts));
        kept = false;
      } else if (kept) v = this.value();
      else this.lexer.skipValue();
      // A datum: `:constvalue 4 [ 1 0 0 0 ]`; its bytes are of no use here.
      if (this.lexer.peek() === '[') {
        while (this.next().raw !== ']');
      }
      if (kept) fields.set(name, v);
    }
  }

  private list(): PgValue[] {
    const out: PgValue[] = [];
    const first = this.lexer.peek();
    if (first !== undefined && TYPED_LIST.has(first)) this.next();
    for (;;) {
      if (this.lexer.peek() === ')') {
        this.next();
        return out;
      }
      out.push(this.value());
    }
  }
}

/**
 * Parses one node tree (ev_action is a list of queries). Throws NodeTreeError on text it cannot read. `keep`
 * and `lazy` spare building what a reader never or rarely looks at: a view's tree is mostly column name lists
 * and join alias variables.
 */
export function parseNodeTree(text: string, opts: ParseOptions = {}): PgValue {
  const reader = new Reader(new Lexer(text), opts);
  const value = reader.value();
  if (!reader.done()) throw new NodeTreeError('text after the node tree');
  return value;
}

/** Typed access to a node's fields; absent or mistyped fields read as undefined. */
export function isNode(v: PgValue | undefined, type?: string): v is PgNode {
  return !!v && typeof v === 'object' && !Array.isArray(v) && (type === undefined || v.type === type);
}
/** A field's value, parsing a deferred one on first read. */
function get(n: PgNode, name: string): PgValue | undefined {
  const v = n.fields.get(name);
  if (v !== undefined || !n.deferred) return v;
  const parse = n.deferred.get(name);
  if (!parse) return undefined;
  const parsed = parse();
  (n.fields as Map<string, PgValue>).set(name, parsed);
  n.deferred.delete(name);
  return parsed;
}
export function field(n: PgNode, name: string): PgValue | undefined {
  return get(n, name);
}
export function nodeField(n: PgNode, name: string): PgNode | undefined {
  const v = get(n, name);
  return isNode(v) ? v : undefined;
}
export function listField(n: PgNode, name: string): PgValue[] {
  const v = get(n, name);
  return Array.isArray(v) ? v : [];
}
export function intField(n: PgNode, name: string): number | undefined {
  const v = get(n, name);
  return typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : undefined;
}
export function textField(n: PgNode, name: string): string | undefined {
  const v = get(n, name);
  return typeof v === 'string' ? v : undefined;
}
