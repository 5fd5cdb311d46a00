import type { Lineage } from '../../core/introspect/viewNullability';
import { field, intField, isNode, listField, nodeField, parseNodeTree, textField, type PgNode, type PgValue } from './nodeTree';

/**
 * Where each column of a view comes from, read from its rewrite rule (pg_rewrite.ev_action): the query tree
 * PostgreSQL stored when the view was created, which names base columns by relation oid and attribute
 * number (no SQL text to re-parse, and renames cannot fool it). Followed: plain column references, through
 * joins, subqueries, CTEs and GROUP BY; coalesce; constants; count(); UNION / INTERSECT / EXCEPT. A column on
 * the nullable side of an outer join is nullable whatever its table says. Everything else is a computed
 * value the tracer does not follow, and stays nullable.
 */
const RTE = { relation: 0, subquery: 1, join: 2, function: 3, tablefunc: 4, values: 5, cte: 6, namedTuplestore: 7, result: 8, group: 9 } as const;
const JOIN_NAMES: Record<number, string> = { 1: 'LEFT JOIN', 2: 'FULL JOIN', 3: 'RIGHT JOIN' };
const SETOPS: Record<number, 'union' | 'intersect' | 'except'> = { 1: 'union', 2: 'intersect', 3: 'except' };
/** count(*) and count(any): their pg_proc oids are fixed in the catalog's initial data. */
const COUNT_OIDS = new Set([2147, 2803]);
const EXPRESSIONS: Record<string, string> = {
  FUNCEXPR: 'a function call',
  OPEXPR: 'an operator expression',
  CASEEXPR: 'a CASE expression',
  AGGREF: 'an aggregate',
  WINDOWFUNC: 'a window function',
  SUBLINK: 'a subquery',
  COERCEVIAIO: 'a cast',
  ARRAYCOERCEEXPR: 'a cast',
  NULLIFEXPR: 'NULLIF',
  MINMAXEXPR: 'GREATEST or LEAST',
  BOOLEXPR: 'a boolean expression',
  ROWEXPR: 'a row constructor',
  ARRAYEXPR: 'an array constructor',
};
const MAX_DEPTH = 64;

export interface RelationNames {
  /** `schema.table.column`, for notes. */
  label(relation: string, column: number): string;
}

/**
 * Every node field the Tracer below reads, and no other: the parser skips the rest (column name lists, quals,
 * locations). A field read below must be listed here. A join's alias variables (most of a view's text) are
 * read only for a column that refers to the join itself (USING / NATURAL): parsed then.
 */
const READ_FIELDS: ReadonlySet<string> = new Set([
  'arg', 'args', 'aggfnoid', 'winfnoid', 'commandType', 'constisnull', 'cteList', 'ctelevelsup', 'ctename', 'ctequery',
  'cterecursive', 'expr', 'fromlist', 'groupingSets', 'jointree', 'jointype', 'larg', 'op', 'rarg', 'relid', 'resjunk',
  'rtable', 'rtekind', 'rtindex', 'setOperations', 'subquery', 'targetList', 'varattno', 'varlevelsup', 'varno',
]);
const LAZY_FIELDS: ReadonlySet<string> = new Set(['joinaliasvars', 'groupexprs']);

/** The lineage of a view's columns from its ev_action text; undefined when the tree is not one it reads. */
export function viewLineage(evAction: string, names: RelationNames): Lineage[] | undefined {
  const tree = parseNodeTree(evAction, { keep: READ_FIELDS, lazy: LAZY_FIELDS });
  const query = Array.isArray(tree) ? tree[0] : tree;
  if (!isNode(query, 'QUERY')) return undefined;
  return new Tracer(names).query(query, 0).filter((c): c is Lineage => c !== undefined);
}

class Tracer {
  constructor(private readonly names: RelationNames) {}

  /** Per target entry by resno (index resno - 1); junk entries (sort keys) come last and are undefined. */
  query(q: PgNode, depth: number): (Lineage | undefined)[] {
    if (depth > MAX_DEPTH) return [];
    if (intField(q, 'commandType') !== 1) return [];
    const setOps = nodeField(q, 'setOperations');
    if (setOps) return this.setOperation(setOps, q, depth);
    const outer = outerSides(nodeField(q, 'jointree'));
    const grouping = listField(q, 'groupingSets').length > 0;
    return listField(q, 'targetList').map((te) => {
      if (!isNode(te, 'TARGETENTRY') || textField(te, 'resjunk') === 'true') return undefined;
      if (grouping) return nullable('GROUPING SETS can leave it null');
      return this.expr(field(te, 'expr'), q, outer, depth);
    });
  }

  private setOperation(node: PgNode, q: PgNode, depth: number): (Lineage | undefined)[] {
    if (isNode(node, 'RANGETBLREF')) {
      const rte = rangeEntry(q, intField(node, 'rtindex'));
      const sub = rte && nodeField(rte, 'subquery');
      return sub ? this.query(sub, depth + 1) : [];
    }
    if (!isNode(node, 'SETOPERATIONSTMT')) return [];
    const op = SETOPS[intField(node, 'op') ?? 0];
    const left = this.setOperation(nodeField(node, 'larg')!, q, depth + 1);
    const right = this.setOperation(nodeField(node, 'rarg')!, q, depth + 1);
    if (!op) return left.map(() => nullable('a set operation Plugboard does not trace'));
    return left.map((l, i) => {
      const r = right[i];
      return l && r ? { kind: 'setop', op, branches: [l, r] } : nullable(`a branch of the ${op.toUpperCase()} could not be traced`);
    });
  }

  private expr(e: PgValue | undefined, q: PgNode, outer: Map<number, string>, depth: number): Lineage {
    if (depth > MAX_DEPTH || !isNode(e)) return nullable('an expression Plugboard does not trace');
    switch (e.type) {
      case 'VAR':
        return this.variable(e, q, outer, depth);
      case 'CONST':
        return textField(e, 'constisnull') === 'false' ? { kind: 'notNull', why: 'a constant' } : nullable('a NULL constant');
      case 'RELABELTYPE':
        return this.expr(field(e, 'arg'), q, outer, depth + 1);
      case 'COALESCEEXPR':
        return { kind: 'coalesce', args: listField(e, 'args').map((a) => this.expr(a, q, outer, depth + 1)) };
      case 'AGGREF':
      case 'WINDOWFUNC':
        if (COUNT_OIDS.has(intField(e, e.type === 'AGGREF' ? 'aggfnoid' : 'winfnoid') ?? 0)) return { kind: 'notNull', why: 'count() is never null' };
    }
    return nullable(`computed by ${EXPRESSIONS[e.type] ?? 'an expression'}`);
  }

  private variable(v: PgNode, q: PgNode, outer: Map<number, string>, depth: number): Lineage {
    if (intField(v, 'varlevelsup') !== 0) return nullable('a reference to an enclosing query');
    const varno = intField(v, 'varno') ?? 0;
    const attno = intField(v, 'varattno') ?? 0;
    const why = outer.get(varno);
    if (why) return nullable(why);
    const rte = rangeEntry(q, varno);
    if (!rte) return nullable('a column Plugboard could not find');
    switch (intField(rte, 'rtekind')) {
      case RTE.relation: {
        const relid = textField(rte, 'relid');
        if (!relid || attno <= 0) return nullable('a whole-row or system column');
        return { kind: 'column', relation: relid, column: attno, label: this.names.label(relid, attno) };
      }
      case RTE.subquery: {
        const sub = nodeField(rte, 'subquery');
        return (sub && this.query(sub, depth + 1)[attno - 1]) ?? nullable('a subquery column Plugboard could not trace');
      }
      case RTE.join:
      case RTE.group: {
        const exprs = listField(rte, intField(rte, 'rtekind') === RTE.join ? 'joinaliasvars' : 'groupexprs');
        return this.expr(exprs[attno - 1], q, outer, depth + 1);
      }
      case RTE.cte: {
        const cte = intField(rte, 'ctelevelsup') === 0 ? listField(q, 'cteList').find((c) => isNode(c, 'COMMONTABLEEXPR') && textField(c, 'ctename') === textField(rte, 'ctename')) : undefined;
        const body = isNode(cte) && textField(cte, 'cterecursive') !== 'true' ? nodeField(cte, 'ctequery') : undefined;
        return (body && this.query(body, depth + 1)[attno - 1]) ?? nullable('a WITH query Plugboard does not trace');
      }
      case RTE.function:
        return nullable('a set-returning function');
      case RTE.values:
        return nullable('a VALUES list');
      default:
        return nullable('a source Plugboard does not trace');
    }
  }
}

function nullable(why: string): Lineage {
  return { kind: 'nullable', why };
}

function rangeEntry(q: PgNode, index: number | undefined): PgNode | undefined {
  const rte = index ? listField(q, 'rtable')[index - 1] : undefined;
  return isNode(rte, 'RANGETBLENTRY') ? rte : undefined;
}

/**
 * The range table entries an outer join can null, and why: the right side of a LEFT JOIN, the left of a
 * RIGHT JOIN, both of a FULL JOIN, and everything under a side that is itself nullable (a join's own
 * merged columns included, through its rtindex).
 */
function outerSides(jointree: PgNode | undefined): Map<number, string> {
  const out = new Map<number, string>();
  const walk = (n: PgValue | undefined, why: string | undefined, depth: number): void => {
    if (!isNode(n) || depth > MAX_DEPTH) return;
    if (n.type === 'RANGETBLREF') {
      const index = intField(n, 'rtindex');
      if (why && index) out.set(index, why);
    } else if (n.type === 'FROMEXPR') {
      for (const item of listField(n, 'fromlist')) walk(item, why, depth + 1);
    } else if (n.type === 'JOINEXPR') {
      const type = intField(n, 'jointype') ?? 0;
      const name = JOIN_NAMES[type];
      const sideWhy = name ? `the nullable side of a ${name}` : undefined;
      walk(field(n, 'larg'), why ?? (type === 2 || type === 3 ? sideWhy : undefined), depth + 1);
      walk(field(n, 'rarg'), why ?? (type === 1 || type === 2 ? sideWhy : undefined), depth + 1);
      const index = intField(n, 'rtindex');
      if (why && index) out.set(index, why);
    }
  };
  walk(jointree, undefined, 0);
  return out;
}
