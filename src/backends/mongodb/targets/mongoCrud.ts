import { buildLayout, type NamespaceLayout } from '../../../core/codegen/layout';
import { fromPart, splitPartFiles, type PartInfo } from '../../../core/codegen/split';
import { camelCase, lineComment, NameAllocator, tsString } from '../../../core/codegen/naming';
import type { CodegenTarget, GeneratedFile, TargetContext } from '../../../core/codegen/types';
import type { Entity } from '../../../core/model';

const RUNTIME_FILE = 'plugboard-mongo-runtime';
/** The environment variable generated code tells users to keep the connection string in. */
export const CONNECTION_ENV = 'MONGODB_URI';

/**
 * `mongo-crud`: a module per database with a typed accessor per collection (findById, find, insertOne,
 * updateOne, deleteOne by `_id`) and per view (find), over a Db or MongoClient the caller passes in. The
 * runtime file holds the logic once; the modules only bind names to types.
 */
export const mongoCrudTarget: CodegenTarget = {
  id: 'mongo-crud',
  needs: ['documents'],
  templates: ['mongo-crud', 'mongo-runtime'],
  *generate(ctx: TargetContext): Generator<GeneratedFile> {
    const layout = buildLayout(ctx.model, ctx.options.mapping, ctx.options.splitThreshold);
    const render = ctx.templates.get('mongo-crud');
    yield { path: `${RUNTIME_FILE}.ts`, target: 'mongo-crud', content: ctx.templates.get('mongo-runtime')({ header: ctx.header('mongo-crud'), connectionEnv: CONNECTION_ENV }) };
    for (const nsl of layout.values()) {
      const index = `${nsl.stem}.crud.ts`;
      if (!nsl.split) yield { path: index, target: 'mongo-crud', content: render(namespaceView(ctx, nsl)) };
      else {
        const title = `Collections of database ${lineComment(tsString(nsl.ns.name))}`;
        const client = { name: 'createClient', params: 'source: Db | MongoClient', args: 'source', imports: ["import type { Db, MongoClient } from 'mongodb';"] };
        yield* splitPartFiles(ctx, nsl.split, { target: 'mongo-crud', index, suffix: 'crud', title, client }, { all: entityViews(nsl), nameOf: (v) => v.name }, (part, views) => render(namespaceView(ctx, nsl, part, views)));
      }
    }
  },
};

/** `entities`: a part's own (named over the whole database, as the unsplit file has them), else all. */
function namespaceView(ctx: TargetContext, nsl: NamespaceLayout, part?: PartInfo, entities = entityViews(nsl)) {
  return {
    header: ctx.header('mongo-crud', 'ts', part?.index),
    database: nsl.ns.name,
    connectionEnv: CONNECTION_ENV,
    typesModule: part ? part.typesModule : `./${nsl.stem}.types`,
    runtimeModule: part ? fromPart(`./${RUNTIME_FILE}`) : `./${RUNTIME_FILE}`,
    entities,
  };
}

/** The `_id` is always an ObjectId: then its 24-hex-digit string is accepted too, and converted. */
function objectIdOnly(e: Entity): boolean {
  const id = e.fields.find((f) => f.name === '_id');
  return !!id && id.type === 'objectid' && !id.types?.length && !id.nullable;
}

/** One line for the accessor's JSDoc: what it is and what the server will refuse. */
function summaryOf(e: Entity): string {
  const d = e.details ?? {};
  if (e.kind === 'view') return `view ${JSON.stringify(e.name)}${typeof d.viewOn === 'string' ? ` on ${JSON.stringify(d.viewOn)}` : ''} (read-only)`;
  const bits = [`collection ${JSON.stringify(e.name)}`];
  if (e.origin === 'validator') bits.push('typed by its $jsonSchema validator');
  else if (e.stats?.sample) bits.push(`typed from ${e.stats.sample.seen.toLocaleString('en-US')} sampled documents`);
  if (d.capped === true) bits.push('capped: the server refuses deletes');
  if (d.timeseries === true) bits.push('time series: before MongoDB 7.0 the server refuses updates and deletes by _id');
  return bits.join('; ');
}

/** Every entity of the namespace, named over the whole of it (a part of a split file filters these). */
function entityViews(nsl: NamespaceLayout) {
  const names = new NameAllocator(['createClient', 'T', 'DATABASE', 'CONNECTION_ENV', 'dbOf', 'defineCollection', 'defineView', 'Db', 'MongoClient']);
  return nsl.ns.entities.map((e) => {
    const base = nsl.entities.get(e.name)!;
    const isView = e.kind === 'view';
    const row = `T.${base}Row`;
    return {
      constName: names.allocate(camelCase(e.name)),
      name: e.name,
      isView,
      summary: summaryOf(e),
      rowType: row,
      insertType: `T.${base}Insert`,
      updateType: `T.${base}Update`,
      idType: objectIdOnly(e) ? `${row}['_id'] | string` : `${row}['_id']`,
      objectIdStrings: objectIdOnly(e),
    };
  });
}
