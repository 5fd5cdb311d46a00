/**
 * View column nullability, worked out from where each column comes from. A catalog declares every view
 * column nullable; a backend that can read a view's definition describes each output column's lineage (a
 * base column, a constant, coalesce, a set operation, the outer side of a join, or something it cannot
 * trace) and this resolves it, through views over views, against the base columns' NOT NULL. Anything not
 * proven not null stays nullable, so the answer is never wrong in the unsafe direction. PostgreSQL feeds it
 * from the rewrite rule's query tree (backends/postgres/viewLineage.ts); MySQL can from its view
 * definitions, with the same lineage shapes.
 */
export type Lineage =
  /** A column of a relation; `relation` is the backend's key for it (an oid), `label` says it in notes. */
  | { kind: 'column'; relation: string; column: number; label: string }
  | { kind: 'nullable'; why: string }
  | { kind: 'notNull'; why: string }
  /** Not null when any argument is. */
  | { kind: 'coalesce'; args: Lineage[] }
  /** UNION: not null when every branch is; INTERSECT: when any is; EXCEPT: as the first. */
  | { kind: 'setop'; op: 'union' | 'intersect' | 'except'; branches: Lineage[] };

export interface Traced {
  nullable: boolean;
  /** `not null: from public.users.id`, `nullable: the outer side of a LEFT JOIN`, … (for JSDoc). */
  note: string;
}

/** NOT NULL of a base column: true, false, or undefined when the backend did not say. */
export type BaseNotNull = (relation: string, column: number) => boolean | undefined;

/**
 * Resolves every view's columns. `views`: per view (by the same keys `column` lineages use), its columns'
 * lineage by position (column n at index n - 1). A reference to a view is resolved through that view.
 */
export function traceViews(views: ReadonlyMap<string, readonly Lineage[]>, base: BaseNotNull): Map<string, Traced[]> {
  const done = new Map<string, Traced[]>();
  const inProgress = new Set<string>();

  const viewColumns = (key: string): Traced[] => {
    const known = done.get(key);
    if (known) return known;
    if (inProgress.has(key)) return [];
    inProgress.add(key);
    const traced = views.get(key)!.map((l) => resolve(l));
    inProgress.delete(key);
    done.set(key, traced);
    return traced;
  };

  const resolve = (l: Lineage): Traced => {
    switch (l.kind) {
      case 'nullable':
        return { nullable: true, note: `nullable: ${l.why}` };
      case 'notNull':
        return { nullable: false, note: `not null: ${l.why}` };
      case 'column': {
        if (views.has(l.relation)) {
          const inner = viewColumns(l.relation)[l.column - 1];
          if (!inner) return { nullable: true, note: `nullable: ${l.label} could not be traced` };
          return inner.nullable ? inner : { nullable: false, note: `${inner.note} (through ${l.label})` };
        }
        const notNull = base(l.relation, l.column);
        if (notNull) return { nullable: false, note: `not null: from ${l.label}` };
        return { nullable: true, note: notNull === false ? `nullable: from ${l.label}, which allows null` : `nullable: ${l.label} could not be traced` };
      }
      case 'coalesce': {
        const args = l.args.map(resolve);
        const sure = args.find((a) => !a.nullable);
        return sure ? { nullable: false, note: `not null: coalesce has a non-null argument (${stripped(sure.note)})` } : { nullable: true, note: 'nullable: every argument of coalesce may be null' };
      }
      case 'setop': {
        const branches = l.branches.map(resolve);
        const name = l.op.toUpperCase();
        if (l.op === 'except') return branches[0] ?? { nullable: true, note: 'nullable: an empty EXCEPT' };
        if (l.op === 'intersect') {
          const sure = branches.find((b) => !b.nullable);
          return sure ? { nullable: false, note: `not null: an INTERSECT branch is (${stripped(sure.note)})` } : { nullable: true, note: 'nullable: in every branch of the INTERSECT' };
        }
        const loose = branches.find((b) => b.nullable);
        return loose ? { nullable: true, note: `nullable: a branch of the ${name} is (${stripped(loose.note)})` } : { nullable: false, note: `not null: in every branch of the ${name}` };
      }
    }
  };

  for (const key of views.keys()) viewColumns(key);
  return done;
}

function stripped(note: string): string {
  return note.replace(/^(not null|nullable): /, '');
}
