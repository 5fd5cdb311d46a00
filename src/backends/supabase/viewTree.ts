/**
 * Reads where a view's columns come from out of its stored definition (`pg_rewrite.ev_action`, a
 * `pg_node_tree`), as PostgREST does to give views the relationships of their tables. PostgreSQL records, for
 * each output column of a query that shows a table's column as it is, that column: `:resorigtbl` (the
 * relation's oid) and `:resorigcol` (its attribute number) on the TARGETENTRY nodes of the query's targetList.
 *
 * The text is a tree of `{NODE :field value …}` and `(list items)`; special characters inside names are
 * escaped with a backslash. Only the outermost query's own targetList is read: subqueries and CTEs, which
 * come before it in the text, are nested deeper.
 */
export interface TargetOrigin {
  /** The view's column number (attnum). */
  resno: number;
  /** The relation and column shown as is, or 0 when the column is computed. */
  table: number;
  column: number;
}

/** The tokens of a node tree: `{`, `}`, `(`, `)` and words, with backslash escapes resolved. */
function* tokens(text: string): Generator<string> {
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (ch === '{' || ch === '}' || ch === '(' || ch === ')') {
      if (inWord) yield word;
      word = '';
      inWord = false;
      yield ch;
    } else if (ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r') {
      if (inWord) yield word;
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) yield word;
}

/**
 * The target list of the first query in a rewrite rule's action list (`({QUERY … :targetList (…) …})`).
 * Resjunk entries (sort keys the view does not output) are left out.
 */
export function viewTargetOrigins(tree: string): TargetOrigin[] {
  const out: TargetOrigin[] = [];
  let depth = 0;
  // 0: looking for the outer query's :targetList; 1: expecting its list; 2: inside the list.
  let state = 0;
  let field = '';
  let entry: { resno?: number; table?: number; column?: number; junk?: boolean } | undefined;
  for (const tok of tokens(tree)) {
    if (tok === '{' || tok === '(') {
      depth++;
      if (state === 1) {
        if (tok !== '(') return out;
        state = 2;
      } else if (state === 2 && depth === 4 && tok === '{') entry = {};
      field = '';
      continue;
    }
    if (tok === '}' || tok === ')') {
      if (state === 2 && depth === 4 && tok === '}' && entry) {
        if (!entry.junk && entry.resno !== undefined) out.push({ resno: entry.resno, table: entry.table ?? 0, column: entry.column ?? 0 });
        entry = undefined;
      }
      depth--;
      if (state === 2 && depth === 2) return out;
      if (depth <= 0) return out;
      continue;
    }
    // The outer query's own fields are at depth 2: `(` of the action list, `{` of the QUERY node.
    if (state === 0 && depth === 2 && tok === ':targetList') {
      state = 1;
      continue;
    }
    if (state === 1) return out; // `<>`: an empty target list
    if (state === 2 && depth === 4 && entry) {
      if (tok.startsWith(':')) field = tok;
      else if (field) {
        if (field === ':resno') entry.resno = Number(tok);
        else if (field === ':resorigtbl') entry.table = Number(tok);
        else if (field === ':resorigcol') entry.column = Number(tok);
        else if (field === ':resjunk') entry.junk = tok === 'true';
        field = '';
      }
    }
  }
  return out;
}
