import { sqlOf, type Entity, type Field, type Routine, type SchemaModel, type ValueShape } from '../model';
import { canonicalJson } from './fingerprint';

export interface SchemaChange {
  kind: 'added' | 'removed' | 'changed';
  /** What changed, e.g. `table public.orders` or `column public.orders.total`. */
  subject: string;
  detail?: string;
}

/**
 * A readable list of differences between two models, for `plugboard check`, Check Drift and the CodeLens.
 * It names everything the fingerprint covers (so a stale fingerprint always comes with a reason), and nothing
 * it does not (indexes, row counts, sample statistics).
 */
export function diffModels(before: SchemaModel, after: SchemaModel): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const nsBefore = new Map(before.namespaces.map((n) => [n.name, n]));
  const nsAfter = new Map(after.namespaces.map((n) => [n.name, n]));
  for (const [name, ns] of nsAfter) {
    const old = nsBefore.get(name);
    if (!old) {
      changes.push({ kind: 'added', subject: `schema ${name}`, detail: `${ns.entities.length} entities` });
      continue;
    }
    diffNamed(changes, old.entities, ns.entities, (e) => `${e.kind.replace(/_/g, ' ')} ${name}.${e.name}`, (a, b) => diffEntity(changes, `${name}.${a.name}`, a, b));
    diffNamed(changes, old.enums, ns.enums, (e) => `enum ${name}.${e.name}`, (a, b) => {
      if (a.values.join('\u0000') !== b.values.join('\u0000')) changes.push({ kind: 'changed', subject: `enum ${name}.${a.name}`, detail: `${a.values.join(', ')} → ${b.values.join(', ')}` });
      comment(changes, `enum ${name}.${a.name}`, a.comment, b.comment);
    });
    diffNamed(changes, old.domains, ns.domains, (d) => `domain ${name}.${d.name}`, (a, b) => {
      if (a.baseType !== b.baseType || a.nullable !== b.nullable || a.default !== b.default) changes.push({ kind: 'changed', subject: `domain ${name}.${a.name}`, detail: `${a.baseType} → ${b.baseType}` });
      comment(changes, `domain ${name}.${a.name}`, a.comment, b.comment);
    });
    diffNamed(changes, old.composites, ns.composites, (c) => `type ${name}.${c.name}`, (a, b) => {
      diffFields(changes, `type ${name}.${a.name}`, a.fields, b.fields);
      comment(changes, `type ${name}.${a.name}`, a.comment, b.comment);
    });
    diffRoutines(changes, name, old.functions, ns.functions);
  }
  for (const name of nsBefore.keys()) if (!nsAfter.has(name)) changes.push({ kind: 'removed', subject: `schema ${name}` });
  return changes;
}

function diffEntity(changes: SchemaChange[], path: string, a: Entity, b: Entity): void {
  if (a.kind !== b.kind) changes.push({ kind: 'changed', subject: path, detail: `${a.kind} → ${b.kind}` });
  comment(changes, path, a.comment, b.comment);
  const facts = (e: Entity) => canonicalJson({ path: e.path, parent: e.parent, origin: e.origin, details: e.details, sql: e.sql, endpoint: e.endpoint });
  if (facts(a) !== facts(b)) changes.push({ kind: 'changed', subject: path, detail: 'definition changed' });
  const label = a.kind === 'collection' ? 'field' : a.kind === 'endpoint' ? 'parameter' : 'column';
  diffFields(changes, `${label} ${path}`, a.fields, b.fields);
  const pk = (e: Entity) => e.primaryKey?.columns.join(', ') ?? '(none)';
  if (pk(a) !== pk(b)) changes.push({ kind: 'changed', subject: `primary key of ${path}`, detail: `${pk(a)} → ${pk(b)}` });
  diffNamed(changes, a.uniques, b.uniques, (u) => `unique key ${path}.${u.name}`, (x, y) => {
    if (x.columns.join('\u0000') !== y.columns.join('\u0000')) changes.push({ kind: 'changed', subject: `unique key ${path}.${x.name}`, detail: `${x.columns.join(', ')} → ${y.columns.join(', ')}` });
  });
  diffNamed(changes, a.relations, b.relations, (r) => `foreign key ${path}.${r.name}`, (x, y) => {
    if (canonicalJson(x) !== canonicalJson(y)) changes.push({ kind: 'changed', subject: `foreign key ${path}.${x.name}` });
  });
}

function diffFields(changes: SchemaChange[], prefix: string, a: readonly Field[], b: readonly Field[]): void {
  diffNamed(changes, a, b, (f) => `${prefix}.${f.name}`, (x, y) => {
    const parts: string[] = [];
    if (x.nativeType !== y.nativeType) parts.push(`${x.nativeType} → ${y.nativeType}`);
    else if (shapeText(x) !== shapeText(y)) parts.push('type changed');
    if (x.nullable !== y.nullable) parts.push(y.nullable ? 'now nullable' : 'now not null');
    if (!!x.optional !== !!y.optional) parts.push(y.optional ? 'now optional' : 'now always present');
    const sx = sqlOf(x), sy = sqlOf(y);
    if ((sx.default ?? '') !== (sy.default ?? '')) parts.push('default changed');
    if (sx.generated !== sy.generated || sx.identity !== sy.identity || !!sx.autoIncrement !== !!sy.autoIncrement) parts.push('generation changed');
    if ((x.comment ?? '') !== (y.comment ?? '')) parts.push('comment changed');
    if (parts.length) changes.push({ kind: 'changed', subject: `${prefix}.${x.name}`, detail: parts.join('; ') });
    if (x.fields || y.fields) diffFields(changes, `${prefix}.${x.name}`, x.fields ?? [], y.fields ?? []);
  });
}

/** A field's type, without its nested fields (those are diffed one by one), name, comment or statistics. */
function shapeText(s: ValueShape & { sql?: Field['sql'] }): string {
  const type = (v: ValueShape): unknown => ({
    type: v.type,
    nativeType: v.nativeType,
    enumRef: v.enumRef,
    compositeRef: v.compositeRef,
    values: v.values,
    refPath: v.refPath,
    items: v.items && type(v.items),
    types: v.types?.map(type),
  });
  return canonicalJson({ shape: type(s), domain: s.sql?.domainRef, arrayDims: s.sql?.arrayDims ?? 0 });
}

function diffRoutines(changes: SchemaChange[], ns: string, a: readonly Routine[], b: readonly Routine[]): void {
  const sig = (r: Routine) => `${r.name}(${r.args.map((x) => x.nativeType).join(', ')})`;
  const named = (list: readonly Routine[]) => list.map((r) => ({ ...r, name: sig(r) }));
  diffNamed(changes, named(a), named(b), (r) => `function ${ns}.${r.name}`, (x, y) => {
    if (canonicalJson(x) !== canonicalJson(y)) changes.push({ kind: 'changed', subject: `function ${ns}.${x.name}` });
  });
}

function comment(changes: SchemaChange[], subject: string, a: string | undefined, b: string | undefined): void {
  if ((a ?? '') !== (b ?? '')) changes.push({ kind: 'changed', subject, detail: 'comment changed' });
}

function diffNamed<T extends { name: string }>(changes: SchemaChange[], before: readonly T[], after: readonly T[], label: (t: T) => string, compare: (a: T, b: T) => void): void {
  const old = new Map(before.map((t) => [t.name, t]));
  const now = new Map(after.map((t) => [t.name, t]));
  for (const [name, t] of now) {
    const o = old.get(name);
    if (o) compare(o, t);
    else changes.push({ kind: 'added', subject: label(t) });
  }
  for (const [name, t] of old) if (!now.has(name)) changes.push({ kind: 'removed', subject: label(t) });
}

export function formatChanges(changes: SchemaChange[], limit = 50): string {
  const sign = { added: '+', removed: '-', changed: '~' } as const;
  const lines = changes.slice(0, limit).map((c) => `  ${sign[c.kind]} ${c.subject}${c.detail ? `: ${c.detail}` : ''}`);
  if (changes.length > limit) lines.push(`  … and ${changes.length - limit} more`);
  return lines.join('\n');
}

/** One line for a notification: "2 changes: + column public.orders.tracking_code, ~ table public.users". */
export function summariseChanges(changes: SchemaChange[], limit = 3): string {
  if (!changes.length) return 'no differences in what generated code uses';
  const sign = { added: '+', removed: '-', changed: '~' } as const;
  const shown = changes.slice(0, limit).map((c) => `${sign[c.kind]} ${c.subject}`);
  const more = changes.length > limit ? `, … ${changes.length - limit} more` : '';
  return `${changes.length} change${changes.length === 1 ? '' : 's'}: ${shown.join(', ')}${more}`;
}
