import { buildLayout, type NamespaceLayout } from '../../../core/codegen/layout';
import { fromPart, splitPartFiles, type PartInfo } from '../../../core/codegen/split';
import { lineComment, NameAllocator, tsString } from '../../../core/codegen/naming';
import type { CodegenTarget, GeneratedFile, TargetContext } from '../../../core/codegen/types';
import type { Entity } from '../../../core/model';
import { paramName, partsOf } from '../paths';

const RUNTIME_FILE = 'plugboard-firestore-runtime';

/** Names the converters file declares or imports itself: no collection may take them. */
const RESERVED = ['T', 'connect', 'DATABASE_ID', 'Firestore', 'CollectionReference', 'DocumentReference', 'converter', 'collectionAt', 'documentId', 'firestoreFromEnv', 'Dated', 'DbModel'];

/**
 * `firestore-converters`: per database, a FirestoreDataConverter per collection (Timestamps read as Date),
 * and typed collection and document ref helpers whose parameters are the path's document ids. The runtime
 * file holds what every database shares, including `firestoreFromEnv` (configuration from the environment
 * variables the header names, never from a file).
 */
export const firestoreConvertersTarget: CodegenTarget = {
  id: 'firestore-converters',
  needs: ['documents'],
  templates: ['firestore-converters', 'firestore-runtime'],
  *generate(ctx: TargetContext): Generator<GeneratedFile> {
    const layout = buildLayout(ctx.model, ctx.options.mapping, ctx.options.splitThreshold);
    yield { path: `${RUNTIME_FILE}.ts`, target: 'firestore-converters', content: ctx.templates.get('firestore-runtime')({ header: ctx.header('firestore-converters') }) };
    const render = ctx.templates.get('firestore-converters');
    for (const nsl of layout.values()) {
      const index = `${nsl.stem}.converters.ts`;
      if (!nsl.split) yield { path: index, target: 'firestore-converters', content: render(namespaceView(ctx, nsl)) };
      else {
        const title = `Typed access to Firestore database ${lineComment(tsString(nsl.ns.name))}`;
        yield* splitPartFiles(ctx, nsl.split, { target: 'firestore-converters', index, suffix: 'converters', title }, { all: collectionViews(nsl), nameOf: (c) => c.name }, (part, views) => render(namespaceView(ctx, nsl, part, views)));
      }
    }
  },
};

/** `collections`: a part's own (named over the whole database, as the unsplit file has them), else all. */
function namespaceView(ctx: TargetContext, nsl: NamespaceLayout, part?: PartInfo, collections = collectionViews(nsl)) {
  return {
    header: ctx.header('firestore-converters', 'ts', part?.index),
    database: nsl.ns.name,
    typesModule: part ? part.typesModule : `./${nsl.stem}.types`,
    runtimeModule: part ? fromPart(`./${RUNTIME_FILE}`) : `./${RUNTIME_FILE}`,
    collections,
  };
}

/** Every collection of the namespace, named over the whole of it (a part of a split file filters these). */
function collectionViews(nsl: NamespaceLayout) {
  const names = new NameAllocator(RESERVED);
  const functions = new Set<string>();
  return nsl.ns.entities.filter((e) => e.kind === 'collection').map((e) => collectionView(e, nsl.entities.get(e.name)!, names, functions));
}

/**
 * Function names are the entity's type name with a lower-case first letter plus a suffix (`usersCollection`,
 * `classDoc`): always identifiers, never reserved words (the suffix sees to that), distinct as the type names are.
 */
function functionBase(base: string, taken: Set<string>): string {
  const wanted = base.charAt(0).toLowerCase() + base.slice(1);
  let name = wanted;
  for (let n = 2; taken.has(name); n++) name = `${wanted}_${n}`;
  taken.add(name);
  return name;
}

function collectionView(e: Entity, base: string, names: NameAllocator, functions: Set<string>) {
  const ids = partsOf(e.path ?? e.name).collections;
  // Parameter names are derived again from the collection ids (not read from the path text), so they are
  // always identifiers, distinct, and never `db` or an imported name (`documents` would give `documentId`).
  const taken = new Set<string>(['db', ...RESERVED]);
  const params = ids.slice(0, -1).map((id) => paramName(id, taken));
  const own = paramName(ids[ids.length - 1]!, taken);
  const fn = functionBase(base, functions);
  const type = names.allocate(base, ['Model']);
  return {
    name: e.name,
    path: e.path ?? e.name,
    comment: e.comment,
    modelType: `${type}Model`,
    rowType: `T.${base}Row`,
    converter: `${fn}Converter`,
    collectionFn: `${fn}Collection`,
    docFn: `${fn}Doc`,
    ids,
    params,
    ownParam: own,
    paramList: params.map((p) => `${p}: string`).join(', '),
    paramNames: params.join(', '),
    paramNamesLiteral: params,
  };
}
