import { traceViews, type Lineage, type Traced } from '../../core/introspect/viewNullability';
import { NodeTreeError } from './nodeTree';
import { viewLineage } from './viewLineage';
import { inRanges, type Steps } from '../../core/slices';

type Col<T> = T[] | null;

/** What VIEWS_SQL returns (catalog.ts): rules by view oid, and the referenced columns with their NOT NULL. */
export interface ViewsDoc {
  views: { oid: Col<number>; action: Col<string> };
  cols: { rel: Col<number>; num: Col<number>; name: Col<string>; notnull: Col<boolean> };
  rels: { oid: Col<number>; schema: Col<string>; name: Col<string> };
}

/**
 * Each view's columns, nullable or not and why, by view oid (column n at index n - 1). A rule the reader
 * cannot follow (a future PostgreSQL's node format) leaves its view as the catalog says: all nullable.
 */
export function* traceViewColumnsSteps(doc: ViewsDoc, viewsPerStep = Infinity): Steps<Map<number, Traced[]>> {
  const list = <T>(a: Col<T>): T[] => a ?? [];
  const rels = new Map<string, string>();
  const rOid = list(doc.rels.oid), rSchema = list(doc.rels.schema), rName = list(doc.rels.name);
  for (let i = 0; i < rOid.length; i++) rels.set(String(rOid[i]), `${rSchema[i]}.${rName[i]}`);
  const columns = new Map<string, { name: string; notNull: boolean }>();
  const cRel = list(doc.cols.rel), cNum = list(doc.cols.num), cName = list(doc.cols.name), cNotNull = list(doc.cols.notnull);
  for (let i = 0; i < cRel.length; i++) columns.set(`${cRel[i]}:${cNum[i]}`, { name: cName[i]!, notNull: cNotNull[i]! });
  const names = {
    label: (relation: string, column: number) => `${rels.get(relation) ?? `relation ${relation}`}.${columns.get(`${relation}:${column}`)?.name ?? `column ${column}`}`,
  };
  const lineages = new Map<string, Lineage[]>();
  const vOid = list(doc.views.oid), vAction = list(doc.views.action);
  // A rule tree is parsed per view, about 0.5 ms each for a view of 15 columns.
  yield* inRanges(vOid.length, viewsPerStep, (from, to) => {
    for (let i = from; i < to; i++) {
      try {
        const lineage = viewLineage(vAction[i]!, names);
        if (lineage) lineages.set(String(vOid[i]), lineage);
      } catch (err) {
        if (!(err instanceof NodeTreeError)) throw err;
      }
    }
  });
  const traced = traceViews(lineages, (relation, column) => columns.get(`${relation}:${column}`)?.notNull);
  return new Map([...traced].map(([oid, t]) => [Number(oid), t]));
}
