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
}
export type PgValue = PgNode | PgValue[] | string | null;

export class NodeTreeError extends Error {}

interface Token {
  /** As written, backslashes included: tells `{` from `\{`. */
  raw: string;
  text: string;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === '{' || c === '}') {
      tokens.push({ raw: c, text: c });
      i++;
      continue;
    }
    const start = i;
    let text = '';
    while (i < input.length) {
      const d = input[i]!;
      if (d === ' ' || d === '\n' || d === '\t' || d === '\r' || d === '(' || d === ')' || d === '{' || d === '}') break;
      if (d === '\\' && i + 1 < input.length) {
        text += input[i + 1];
        i += 2;
      } else {
        text += d;
        i++;
      }
    }
    tokens.push({ raw: input.slice(start, i), text });
  }
  return tokens;
}

const TYPED_LIST = new Set(['i', 'o', 'b', 'x']);

class Reader {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  done(): boolean {
    return this.pos >= this.tokens.length;
  }

  private next(): Token {
    const t = this.tokens[this.pos++];
    if (!t) throw new NodeTreeError('the node tree ends early');
    return t;
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
    for (;;) {
      const t = this.next();
      if (t.raw === '}') return { type, fields };
      if (!t.raw.startsWith(':')) throw new NodeTreeError(`expected a field of ${type}, found ${JSON.stringify(t.raw.slice(0, 20))}`);
      const v = this.value();
      // A datum: `:constvalue 4 [ 1 0 0 0 ]`; its bytes are of no use here.
      if (this.tokens[this.pos]?.raw === '[') {
        while (this.next().raw !== ']');
      }
      fields.set(t.raw.slice(1), v);
    }
  }

  private list(): PgValue[] {
    const out: PgValue[] = [];
    const first = this.tokens[this.pos];
    if (first && TYPED_LIST.has(first.raw)) this.pos++;
    for (;;) {
      if (this.tokens[this.pos]?.raw === ')') {
        this.pos++;
        return out;
      }
      out.push(this.value());
    }
  }
}

/** Parses one node tree (ev_action is a list of queries). Throws NodeTreeError on text it cannot read. */
export function parseNodeTree(text: string): PgValue {
  const reader = new Reader(tokenize(text));
  const value = reader.value();
  if (!reader.done()) throw new NodeTreeError('text after the node tree');
  return value;
}

/** Typed access to a node's fields; absent or mistyped fields read as undefined. */
export function isNode(v: PgValue | undefined, type?: string): v is PgNode {
  return !!v && typeof v === 'object' && !Array.isArray(v) && (type === undefined || v.type === type);
}
export function field(n: PgNode, name: string): PgValue | undefined {
  return n.fields.get(name);
}
export function nodeField(n: PgNode, name: string): PgNode | undefined {
  const v = n.fields.get(name);
  return isNode(v) ? v : undefined;
}
export function listField(n: PgNode, name: string): PgValue[] {
  const v = n.fields.get(name);
  return Array.isArray(v) ? v : [];
}
export function intField(n: PgNode, name: string): number | undefined {
  const v = n.fields.get(name);
  return typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : undefined;
}
export function textField(n: PgNode, name: string): string | undefined {
  const v = n.fields.get(name);
  return typeof v === 'string' ? v : undefined;
}
