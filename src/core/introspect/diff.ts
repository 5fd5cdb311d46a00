import type { Entity, Field, SchemaModel } from '../model';

export interface SchemaChange {
  kind: 'added' | 'removed' | 'changed';
  /** What changed, e.g. `table public.orders` or `column public.orders.total`. */
  subject: string;
  detail?: string;
}

/** A readable list of differences between two models, for `plugboard check` and the drift warning. */
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
    diffNamed(changes, old.entities, ns.entities, (e) => `${e.kind.replace('_', ' ')} ${name}.${e.name}`, (a, b) =>
      diffEntity(changes, `${name}.${a.name}`, a, b),
    );
    diffNamed(changes, old.enums, ns.enums, (e) => `enum ${name}.${e.name}`, (a, b) => {
      if (a.values.join('\u0000') !== b.values.join('\u0000'))
        changes.push({ kind: 'changed', subject: `enum ${name}.${a.name}`, detail: `${a.values.join(', ')} → ${b.values.join(', ')}` });
    });
    diffNamed(changes, old.domains, ns.domains, (d) => `domain ${name}.${d.name}`, (a, b) => {
      if (a.baseType !== b.baseType || a.nullable !== b.nullable)
        changes.push({ kind: 'changed', subject: `domain ${name}.${a.name}`, detail: `${a.baseType} → ${b.baseType}` });
    });
    diffNamed(changes, old.composites, ns.composites, (c) => `type ${name}.${c.name}`, (a, b) =>
      diffFields(changes, `type ${name}.${a.name}`, a.fields, b.fields),
    );
  }
  for (const name of nsBefore.keys()) if (!nsAfter.has(name)) changes.push({ kind: 'removed', subject: `schema ${name}` });
  return changes;
}

function diffEntity(changes: SchemaChange[], path: string, a: Entity, b: Entity): void {
  if (a.kind !== b.kind) changes.push({ kind: 'changed', subject: path, detail: `${a.kind} → ${b.kind}` });
  diffFields(changes, `column ${path}`, a.fields, b.fields);
  const pk = (e: Entity) => e.primaryKey?.columns.join(', ') ?? '(none)';
  if (pk(a) !== pk(b)) changes.push({ kind: 'changed', subject: `primary key of ${path}`, detail: `${pk(a)} → ${pk(b)}` });
  diffNamed(changes, a.relations, b.relations, (r) => `foreign key ${path}.${r.name}`, () => undefined);
}

function diffFields(changes: SchemaChange[], prefix: string, a: Field[], b: Field[]): void {
  diffNamed(changes, a, b, (f) => `${prefix}.${f.name}`, (x, y) => {
    const parts: string[] = [];
    if (x.nativeType !== y.nativeType) parts.push(`${x.nativeType} → ${y.nativeType}`);
    if (x.nullable !== y.nullable) parts.push(y.nullable ? 'now nullable' : 'now not null');
    if ((x.default ?? '') !== (y.default ?? '')) parts.push('default changed');
    if (x.generated !== y.generated || x.identity !== y.identity) parts.push('generation changed');
    if (parts.length) changes.push({ kind: 'changed', subject: `${prefix}.${x.name}`, detail: parts.join('; ') });
  });
}

function diffNamed<T extends { name: string }>(
  changes: SchemaChange[],
  before: T[],
  after: T[],
  label: (t: T) => string,
  compare: (a: T, b: T) => void,
): void {
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
