import * as path from 'node:path';
import type { Entity, Namespace } from '../model';
import { claimStem, stemCharacters, tsString } from './naming';
import type { GeneratedFile, TargetContext } from './types';

/**
 * Splitting big namespaces. One file per namespace means a 200,000-line `public.types.ts` at 5,000 tables, and
 * an editor that freezes opening it. Above `plugboard.codegen.splitThreshold` entities, every per-namespace
 * file (`public.types.ts`, `public.crud.ts`, …) becomes a small index that re-exports the same names from parts
 * in a folder named after the namespace:
 *
 *   public.types.ts            index: `export * from './public/orders.types'`, Tables / Views merged
 *   public/_shared.types.ts    enums, composite types, helper types
 *   public/orders.types.ts     a group of entities, named after its first one
 *   public/orders.crud.ts      the same group's CRUD, importing `./orders.types`
 *
 * so `import { OrdersRow } from './generated/public.types'` works either way. Groups are cut where an
 * entity's name hashes to a boundary (or the group is full), so adding or dropping a table changes its own
 * part, not every part after it.
 */
export const DEFAULT_SPLIT_THRESHOLD = 200;

/** The part with what is not an entity's own (enums, composites): no entity's part is named so. */
export const SHARED_PART = '_shared';

export interface Part {
  stem: string;
  entities: Entity[];
}

export interface SplitLayout {
  /** The folder of the parts, relative to the output folder: the namespace's file stem. */
  folder: string;
  /** Entity parts, in the namespace's entity order. */
  parts: Part[];
  /** Entity name → the stem of its part. */
  partOf: Map<string, string>;
}

/** At most a quarter of the threshold per part, so no part comes near the size that asked for a split. */
export function maxPartSize(threshold: number): number {
  return Math.max(1, Math.ceil(threshold / 4));
}

export function planSplit(ns: Namespace, folder: string, threshold: number): SplitLayout | undefined {
  if (!(threshold > 0) || ns.entities.length <= threshold) return undefined;
  const max = maxPartSize(threshold);
  const cut = Math.max(1, Math.ceil(max / 2));
  const groups: Entity[][] = [];
  let current: Entity[] = [];
  for (const e of ns.entities) {
    if (current.length && (current.length >= max || fnv1a(e.name) % cut === 0)) {
      groups.push(current);
      current = [];
    }
    current.push(e);
  }
  if (current.length) groups.push(current);
  const taken = new Set([SHARED_PART]);
  const parts = groups.map((entities) => ({ stem: partStem(entities[0]!.name, taken), entities }));
  const partOf = new Map(parts.flatMap((p) => p.entities.map((e) => [e.name, p.stem] as const)));
  return { folder, parts, partOf };
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Names Windows reserves for devices, with any extension (`con.types.ts` cannot be created there). */
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com\d|lpt\d)$/;

/**
 * A file name from any entity name: lower case ASCII letters, digits, `_` and `-` only (so `Orders` and
 * `orders` cannot meet on a case-insensitive file system: the second is `orders-2`), never starting with `_`
 * or `-`, never a Windows device name, at most 60 characters. Deterministic for the same entities.
 */
export function partStem(name: string, taken: Set<string>): string {
  const base =
    stemCharacters(name)
      .replace(/^[_-]+|[_-]+$/g, '')
      .slice(0, 60)
      .replace(/[_-]+$/, '') || 'entity';
  return claimStem(WINDOWS_DEVICES.test(base) ? `${base}_` : base, taken);
}

/** A relative import written for a file at the output folder's top, as seen from a part one folder below it. */
export function fromPart(from: string): string {
  return from.startsWith('.') ? path.posix.normalize(`../${from}`) : from;
}

/** Names a rendered TypeScript file exports at its top level, and whether each is a type only. */
export function exportedNames(content: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  // Only lines that start with `export ` are matched (sticky, at the line's start): a regex searching a
  // 3 MB part for them line by line costs ten times as much.
  const declaration = /export (?:declare )?(type|interface|const|let|function|class|enum) ([\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*)/uy;
  const lineAfter = (from: number) => {
    const nl = content.indexOf('\nexport ', from);
    return nl < 0 ? -1 : nl + 1;
  };
  for (let at = content.startsWith('export ') ? 0 : lineAfter(0); at >= 0; at = lineAfter(at)) {
    declaration.lastIndex = at;
    const m = declaration.exec(content);
    if (m) out.set(m[2]!, m[1] === 'type' || m[1] === 'interface');
  }
  return out;
}

export interface IndexSpec {
  target: string;
  /** The index's path relative to the output folder (`public.types.ts`). */
  path: string;
  /** What the file holds, for its comment line (`Types for schema "public"`); already escaped by the caller. */
  title: string;
  parts: GeneratedFile[];
  /** Interfaces every part declares for its own entities (`Tables`): the index extends them all. */
  interfaces?: readonly string[];
  /** A function every part declares over its own entities (`createClient`): the index spreads them all. */
  client?: { name: string; params: string; args: string; imports: readonly string[] };
}

/** The module specifier of a part as the index imports it: `./public/orders.types`. */
function moduleOf(file: GeneratedFile): string {
  return `./${file.path.replace(/\.ts$/, '')}`;
}

/**
 * The index of a split file: `export *` of every part, the names more than one part declares (identical
 * helpers such as `Json`, `DATABASE`) re-exported from the first, and the per-part maps and clients merged,
 * so it exports exactly the names the unsplit file did.
 */
export function renderIndex(ctx: TargetContext, spec: IndexSpec): GeneratedFile {
  const exports = spec.parts.map((p) => exportedNames(p.content));
  const merged = new Set([...(spec.interfaces ?? []), ...(spec.client ? [spec.client.name] : [])]);
  const imports: string[] = [...(spec.client?.imports ?? [])];
  const body: string[] = spec.parts.map((p) => `export * from ${tsString(moduleOf(p))};`);
  const seen = new Map<string, number>();
  exports.forEach((names) => names.forEach((_, n) => seen.set(n, (seen.get(n) ?? 0) + 1)));
  const shared = [...seen].filter(([n, count]) => count > 1 && !merged.has(n)).map(([n]) => n);
  for (const [i, p] of spec.parts.entries()) {
    const mine = shared.filter((n) => exports[i]!.has(n) && spec.parts.findIndex((_, j) => exports[j]!.has(n)) === i).sort();
    const types = mine.filter((n) => exports[i]!.get(n));
    const values = mine.filter((n) => !exports[i]!.get(n));
    if (values.length) body.push(`export { ${values.join(', ')} } from ${tsString(moduleOf(p))};`);
    if (types.length) body.push(`export type { ${types.join(', ')} } from ${tsString(moduleOf(p))};`);
  }
  for (const name of spec.interfaces ?? []) {
    const having = spec.parts.map((p, i) => ({ p, i })).filter(({ i }) => exports[i]!.has(name));
    if (!having.length) continue;
    for (const { p, i } of having) imports.push(`import type { ${name} as Part${i + 1}${name} } from ${tsString(moduleOf(p))};`);
    body.push('', `export interface ${name} extends ${having.map(({ i }) => `Part${i + 1}${name}`).join(', ')} {}`);
  }
  if (spec.client) {
    const { name, params, args } = spec.client;
    const having = spec.parts.map((p, i) => ({ p, i })).filter(({ i }) => exports[i]!.has(name));
    for (const { p, i } of having) imports.push(`import { ${name} as part${i + 1}${name} } from ${tsString(moduleOf(p))};`);
    body.push('', `/** Every part's ${name}, in one object. */`, `export function ${name}(${params}) {`, '  return {');
    for (const { i } of having) body.push(`    ...part${i + 1}${name}(${args}),`);
    body.push('  };', '}');
  }
  const folder = path.posix.dirname(spec.parts[0]?.path ?? spec.path);
  const content = [
    ctx.header(spec.target),
    '/* eslint-disable */',
    `// ${spec.title}, split into ${spec.parts.length} files under ./${folder}/ (above plugboard.codegen.splitThreshold`,
    '// entities). Import from this file: it exports every name the parts declare.',
    ...imports,
    ...body,
    '',
  ].join('\n');
  return { path: spec.path, target: spec.target, content };
}

/** What a target renders for one part of a split namespace. */
export interface PartInfo {
  stem: string;
  /** The index file, for the part's header (`ctx.header(target, 'ts', part.index)`). */
  index: string;
  /** Database names of the part's entities. */
  entities: ReadonlySet<string>;
  /** The ts-types part with the same entities: `./orders.types`. */
  typesModule: string;
}

/**
 * The files of one split namespace for a target with no shared part (the CRUD targets): each part rendered
 * by the target over its own entities' views, and the index. `views` are made over the whole namespace, so
 * names are allocated as in the unsplit file; each part gets the views of its entities, in the namespace's
 * order, grouped once rather than filtered from all of them for every part.
 */
export function* splitPartFiles<T>(
  ctx: TargetContext,
  split: SplitLayout,
  spec: { target: string; index: string; suffix: string; title: string; client?: IndexSpec['client'] },
  views: { all: readonly T[]; nameOf: (view: T) => string },
  render: (part: PartInfo, views: T[]) => string,
): Generator<GeneratedFile> {
  const byPart = new Map<string, T[]>();
  for (const view of views.all) {
    const home = split.partOf.get(views.nameOf(view));
    if (home === undefined) continue;
    let list = byPart.get(home);
    if (!list) byPart.set(home, (list = []));
    list.push(view);
  }
  // Each part as it is rendered; the index, which merges them, last.
  const parts: GeneratedFile[] = [];
  for (const p of split.parts) {
    const info: PartInfo = { stem: p.stem, index: spec.index, entities: new Set(p.entities.map((e) => e.name)), typesModule: `./${p.stem}.types` };
    const part = { path: `${split.folder}/${p.stem}.${spec.suffix}.ts`, target: spec.target, content: render(info, byPart.get(p.stem) ?? []) };
    parts.push(part);
    yield part;
  }
  yield renderIndex(ctx, { target: spec.target, path: spec.index, title: spec.title, parts, ...(spec.client ? { client: spec.client } : {}) });
}
