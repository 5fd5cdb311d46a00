/**
 * The type-level comparison of Plugboard's `Database` with the one `supabase gen types` writes: a file that
 * compiles only if, for every schema, the key sets of Tables / Views / Functions / Enums / CompositeTypes
 * are the same and every table, function, enum and composite type is assignable both ways. Views are
 * assignable one way, ours to theirs: Plugboard traces view columns to their base columns and keeps their
 * NOT NULL (supabase/cli#577), where `supabase gen types` makes every view column nullable — so code written
 * against their types still compiles against ours.
 */
import { callable } from '../../src/backends/supabase/targets/functions';
import type { SchemaModel } from '../../src/core/model';

const q = (s: string) => JSON.stringify(s);

export interface KnownDifference {
  schema: string;
  section: 'Tables' | 'Views' | 'Functions' | 'Enums' | 'CompositeTypes';
  /** Names `supabase gen types` lists and Plugboard deliberately does not (e.g. partitions). */
  onlyTheirs: string[];
}

/** `theirs` and `ours` are module paths (without .ts) exporting `Database`. */
export function assignabilityCheck(model: SchemaModel, known: KnownDifference[] = [], theirs = './theirs', ours = './database.types'): string {
  const lines = [
    `import type { Database as Theirs } from ${q(theirs)};`,
    `import type { Database as Ours } from ${q(ours)};`,
    '',
    'type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;',
    'type Narrower<A, B> = [A] extends [B] ? true : false;',
    'type Expect<T extends true> = T;',
    '',
    'export type Schemas = Expect<Mutual<keyof Theirs, keyof Ours>>;',
  ];
  let n = 0;
  const expect = (what: string, a: string, b: string, how = 'Mutual') => lines.push(`export type Check${n++} = Expect<${how}<${a}, ${b}>>; // ${what.replace(/[\r\n]/g, ' ')}`);
  for (const ns of model.namespaces) {
    const s = `[${q(ns.name)}]`;
    for (const section of ['Tables', 'Views', 'Functions', 'Enums', 'CompositeTypes'] as const) {
      const skip = known.filter((k) => k.schema === ns.name && k.section === section).flatMap((k) => k.onlyTheirs);
      const theirsKeys = `Exclude<keyof Theirs${s}[${q(section)}], ${skip.length ? skip.map(q).join(' | ') : 'never'}>`;
      expect(`${ns.name} ${section}: the same names`, theirsKeys, `keyof Ours${s}[${q(section)}]`);
    }
    for (const e of ns.entities) {
      const section = e.kind === 'table' || e.kind === 'partitioned_table' || e.kind === 'foreign_table' ? 'Tables' : 'Views';
      const path = `${s}[${q(section)}][${q(e.name)}]`;
      if (section === 'Views') expect(`${ns.name}.${e.name} (ours is narrower: traced NOT NULL)`, `Ours${path}`, `Theirs${path}`, 'Narrower');
      else expect(`${ns.name}.${e.name}`, `Theirs${path}`, `Ours${path}`);
    }
    const isView = (ref?: { namespace: string; entity: string }) =>
      !!ref && model.namespaces.find((n) => n.name === ref.namespace)?.entities.find((e) => e.name === ref.entity)?.kind.includes('view');
    for (const name of new Set(ns.functions.filter(callable).map((f) => f.name))) {
      const path = `${s}["Functions"][${q(name)}]`;
      // A function returning a view's rows returns our narrower view Row (see above).
      const overViews = ns.functions.some((f) => f.name === name && f.returns.kind === 'entity' && isView(f.returns.entity));
      if (overViews) expect(`${ns.name}.${name}() (returns view rows: ours is narrower)`, `Ours${path}`, `Theirs${path}`, 'Narrower');
      else expect(`${ns.name}.${name}()`, `Theirs${path}`, `Ours${path}`);
    }
    for (const e of ns.enums.filter((x) => x.values.length)) expect(`enum ${ns.name}.${e.name}`, `Theirs${s}["Enums"][${q(e.name)}]`, `Ours${s}["Enums"][${q(e.name)}]`);
    for (const c of ns.composites.filter((x) => x.fields.length)) {
      expect(`composite ${ns.name}.${c.name}`, `Theirs${s}["CompositeTypes"][${q(c.name)}]`, `Ours${s}["CompositeTypes"][${q(c.name)}]`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** How many checks a file from assignabilityCheck holds (to prove the comparison compared something). */
export function checkCount(text: string): number {
  return (text.match(/^export type Check\d+/gm) ?? []).length;
}
