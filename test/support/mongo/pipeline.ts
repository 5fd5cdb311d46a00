/**
 * Queries and aggregation over stored documents with mingo, in shadow space (see values.ts), handing back
 * BSON-typed documents. Stages that keep documents whole ($match, $sort, $skip, $limit, $sample) map back by
 * reference; one-in-one-out reshaping stages ($project, $addFields, $set, $unset) are re-typed against their
 * input document; after any other stage ($group, $unwind, $lookup…) numbers go out as int32/double by value.
 */
import { aggregate, ProcessingMode, Query } from 'mingo';
import { CommandError } from './errors';
import type { StandinState } from './state';
import { asNumber, type Doc, restoreTypes, shadowOf, shadowValue } from './values';

export interface Namespace {
  state: StandinState;
  db: string;
}

const KEEPS_DOCUMENTS = new Set(['$match', '$sort', '$skip', '$limit']);
const ONE_TO_ONE = new Set(['$project', '$addFields', '$set', '$unset']);
const WRITES_ELSEWHERE = new Set(['$out', '$merge']);
/** Views on views on views…: mongod stops at 20 levels too. */
const MAX_VIEW_DEPTH = 20;

type MingoOptions = NonNullable<Parameters<typeof aggregate>[2]>;

function mingoOptions(ns: Namespace, depth: number, processingMode: ProcessingMode): MingoOptions {
  return {
    idKey: '_id',
    processingMode,
    scriptEnabled: false,
    // $lookup/$unionWith get fresh shadows: a sub-pipeline may modify what it is given.
    collectionResolver: (name: string) => documentsOf(ns, name, depth + 1).map((d) => shadowValue(d) as Doc),
  };
}

/** Turns mingo's complaints into the errors mongod gives for the same mistakes. */
function translated<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof CommandError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    const stage = /unregistered pipeline operator (\$\w+)/.exec(message);
    if (stage) throw new CommandError('UnrecognizedPipelineStage', `Unrecognized pipeline stage name: '${stage[1]}'`);
    throw new CommandError('BadValue', message);
  }
}

function sampleOf<T>(items: T[], size: number): number[] {
  // Partial Fisher–Yates: distinct documents, at most as many as there are (mingo's $sample repeats them).
  const picks = items.map((_, i) => i);
  const count = Math.min(Math.max(0, size), picks.length);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(Math.random() * (picks.length - i));
    [picks[i], picks[j]] = [picks[j], picks[i]];
  }
  return picks.slice(0, count);
}

export function runPipeline(ns: Namespace, input: Doc[], pipeline: unknown[], depth = 0): Doc[] {
  let typed: Doc[] | undefined = input;
  let shadows = input.map(shadowOf);
  for (const rawStage of pipeline) {
    const stage = shadowValue(rawStage) as Doc;
    const op = Object.keys(stage)[0] ?? '';
    if (WRITES_ELSEWHERE.has(op)) throw new CommandError('CommandNotSupported', `${op} is not supported by the MongoDB stand-in`);
    if (op === '$sample') {
      const size = asNumber((stage.$sample as Doc | undefined)?.size);
      if (size === undefined || size < 0) throw new CommandError('BadValue', 'size argument to $sample must be a non-negative number');
      const picks = sampleOf(shadows, size);
      shadows = picks.map((i) => shadows[i]);
      typed = typed && picks.map((i) => (typed as Doc[])[i]);
      continue;
    }
    const keepsDocuments = KEEPS_DOCUMENTS.has(op);
    const mode = keepsDocuments ? ProcessingMode.CLONE_OFF : ProcessingMode.CLONE_INPUT;
    const output = translated(() => aggregate(shadows, [stage], mingoOptions(ns, depth, mode)) as Doc[]);
    if (typed && keepsDocuments) {
      const byShadow = new Map(shadows.map((s, i) => [s, (typed as Doc[])[i]]));
      typed = output.map((s) => byShadow.get(s) as Doc);
      shadows = output;
    } else if (typed && ONE_TO_ONE.has(op)) {
      typed = output.map((s, i) => restoreTypes(s, (typed as Doc[])[i]) as Doc);
      shadows = typed.map(shadowOf);
    } else {
      typed = undefined;
      shadows = output;
    }
  }
  return typed ?? shadows.map((s) => restoreTypes(s, undefined) as Doc);
}

/** What `find`/`aggregate` on a name read: a collection's documents, a view's pipeline output, system.views. */
export function documentsOf(ns: Namespace, name: string, depth = 0): Doc[] {
  if (depth > MAX_VIEW_DEPTH) throw new CommandError('BadValue', `View depth too deep or view cycle detected; maximum depth is ${MAX_VIEW_DEPTH}`);
  const found = ns.state.collection(ns.db, name);
  if (name === 'system.views' && !found) return viewDefinitions(ns);
  if (!found) return [];
  if (found.kind !== 'view') return found.docs;
  const source = documentsOf(ns, found.options.viewOn as string, depth + 1);
  return runPipeline(ns, source, found.options.pipeline as unknown[], depth + 1);
}

/** mongod keeps view definitions in `<db>.system.views`; this synthesizes that collection. */
export function viewDefinitions(ns: Namespace): Doc[] {
  const out: Doc[] = [];
  for (const c of ns.state.databases.get(ns.db)?.values() ?? []) {
    if (c.kind === 'view') out.push({ _id: `${ns.db}.${c.name}`, viewOn: c.options.viewOn, pipeline: c.options.pipeline });
    if (c.kind === 'timeseries') out.push({ _id: `${ns.db}.${c.name}`, viewOn: `system.buckets.${c.name}`, pipeline: [] });
  }
  return out;
}

export interface FindSpec {
  filter?: unknown;
  sort?: unknown;
  projection?: unknown;
  skip?: number;
  limit?: number;
}

const isEmptyDoc = (v: unknown) => v === undefined || v === null || (typeof v === 'object' && Object.keys(v as object).length === 0);

/** find semantics: filter, then sort, skip, limit, then the find projection (positional `$`, $elemMatch…). */
export function findDocuments(ns: Namespace, source: Doc[], spec: FindSpec): Doc[] {
  return translated(() => {
    const options = mingoOptions(ns, 0, ProcessingMode.CLONE_OFF);
    const query = new Query((shadowValue(spec.filter ?? {}) ?? {}) as Doc, options);
    const shadows = source.map(shadowOf);
    const byShadow = new Map(shadows.map((s, i) => [s, source[i]]));
    let cursor = query.find<Doc>(shadows);
    if (!isEmptyDoc(spec.sort)) cursor = cursor.sort(shadowValue(spec.sort) as Doc);
    if (spec.skip) cursor = cursor.skip(spec.skip);
    if (spec.limit) cursor = cursor.limit(spec.limit);
    const hits = cursor.all().map((s) => byShadow.get(s) as Doc);
    if (isEmptyDoc(spec.projection)) return hits;
    const projection = shadowValue(spec.projection) as Doc;
    return hits.map((doc) => restoreTypes(query.find<Doc>([shadowOf(doc)], projection).all()[0], doc) as Doc);
  });
}

/** Matching by a filter, for writes: indexes into `docs` in natural order. */
export function matchingIndexes(docs: Doc[], filter: unknown): number[] {
  return translated(() => {
    const query = new Query((shadowValue(filter ?? {}) ?? {}) as Doc, { idKey: '_id', scriptEnabled: false });
    const out: number[] = [];
    docs.forEach((doc, i) => {
      if (query.test(shadowOf(doc))) out.push(i);
    });
    return out;
  });
}
