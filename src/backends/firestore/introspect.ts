import type { CollectionReference, DocumentData, Firestore, QueryDocumentSnapshot } from 'firebase-admin/firestore';
import type { ProgressReporter } from '../../core/backend';
import { throwIfAborted } from '../../core/errors';
import { DocumentInference } from '../../core/introspect/infer';
import type { Entity } from '../../core/model';
import { mapLimited } from '../../core/concurrency';
import type { Calls } from './calls';
import { firestoreClassifier } from './classify';
import { entityNameOf, patternOf } from './paths';

/** Calls in flight at once while sampling and probing: enough to hide latency, few enough to be polite. */
const PARALLEL = 8;
/** Sampled documents of an entity whose subcollections are listed (one call each). */
export const PROBED_DOCUMENTS = 100;

export interface SampleSettings {
  namespace: string;
  sampleSize: number;
  depth: number;
}

/** One collection pattern to sample: its collection ids from the root, and the concrete collections it has. */
interface Plan {
  ids: string[];
  collections: CollectionReference[];
}

/**
 * Reads a database's shape from a bounded sample: root collections (listed, or the `collections` hint), up
 * to `sampleSize` documents per collection pattern, and subcollections of sampled documents down to `depth`
 * levels. Only `limit()` queries are used, never cursors or offsets, and every order is fixed (ids sorted,
 * documents in Firestore's id order), so the same data always gives the same entities.
 */
export class Sampler {
  constructor(
    private readonly db: Firestore,
    private readonly calls: Calls,
    private readonly settings: SampleSettings,
    private readonly signal?: AbortSignal,
    private readonly progress?: ProgressReporter,
  ) {}

  async entities(rootIds: readonly string[]): Promise<Entity[]> {
    let level: Plan[] = [...new Set(rootIds)].sort(byCodeUnits).map((id) => ({ ids: [id], collections: [this.db.collection(id)] }));
    const entities: Entity[] = [];
    for (let depth = 0; level.length; depth++) {
      const next: Plan[] = [];
      for (const plan of level) {
        throwIfAborted(this.signal);
        this.progress?.(`Sampling ${patternOf(plan.ids)}`, Math.min(0.95, 0.1 + (0.85 * depth) / (this.settings.depth + 1)));
        const docs = await this.sample(plan);
        entities.push(this.entity(plan, docs));
        if (depth < this.settings.depth) next.push(...(await this.subcollections(plan, docs)));
      }
      level = next.sort((a, b) => byCodeUnits(entityNameOf(a.ids), entityNameOf(b.ids)));
    }
    return entities.sort((a, b) => byCodeUnits(a.name, b.name));
  }

  /**
   * Up to `sampleSize` documents across the plan's collections: first a share per collection, read in
   * parallel, then a top-up from the collections that filled their share, one at a time, until the sample
   * is full. A top-up reads its collection's share again (there is no cursor: the emulator ignores them, and
   * a cursor would be a second code path), so at most about twice `sampleSize` documents are read.
   */
  private async sample(plan: Plan): Promise<QueryDocumentSnapshot[]> {
    const size = this.settings.sampleSize;
    const share = Math.max(1, Math.ceil(size / plan.collections.length));
    const where = patternOf(plan.ids);
    const first = await mapLimited(plan.collections, PARALLEL, (ref) => this.read(ref, share, where));
    const docs = first.flat().slice(0, size);
    for (let i = 0; i < plan.collections.length && docs.length < size; i++) {
      if (first[i]!.length < share) continue;
      const more = await this.read(plan.collections[i]!, share + (size - docs.length), where);
      docs.push(...more.slice(share, share + size - docs.length));
    }
    return docs;
  }

  private async read(ref: CollectionReference, limit: number, where: string): Promise<QueryDocumentSnapshot[]> {
    const snapshot = await this.calls.run(`Sampling ${where}`, () => ref.limit(limit).get(), this.signal);
    return snapshot.docs;
  }

  private entity(plan: Plan, docs: QueryDocumentSnapshot<DocumentData>[]): Entity {
    const inference = new DocumentInference(firestoreClassifier);
    for (const doc of docs) inference.add(doc.data());
    const result = inference.result();
    const entity: Entity = {
      name: entityNameOf(plan.ids),
      kind: 'collection',
      fields: result.fields,
      primaryKey: null,
      uniques: [],
      indexes: [],
      relations: [],
      origin: 'sample',
      stats: { sample: { size: this.settings.sampleSize, seen: result.seen } },
    };
    // Root collections need no path: their name is one.
    if (plan.ids.length > 1) {
      entity.path = patternOf(plan.ids);
      entity.parent = { namespace: this.settings.namespace, entity: entityNameOf(plan.ids.slice(0, -1)) };
    }
    if (result.notes.length) entity.details = Object.fromEntries(result.notes.map((n) => [`open: ${n.path || '(document)'}`, n.message]));
    return entity;
  }

  /** Subcollections of the first sampled documents, grouped by id: one plan per id, its collections in document order. */
  private async subcollections(plan: Plan, docs: QueryDocumentSnapshot[]): Promise<Plan[]> {
    const probed = docs.slice(0, PROBED_DOCUMENTS);
    const where = patternOf(plan.ids);
    const lists = await mapLimited(probed, PARALLEL, (doc) => this.calls.run(`Listing subcollections under ${where}`, () => doc.ref.listCollections(), this.signal));
    const byId = new Map<string, CollectionReference[]>();
    for (const list of lists) {
      for (const ref of [...list].sort((a, b) => byCodeUnits(a.id, b.id))) {
        const refs = byId.get(ref.id) ?? [];
        refs.push(ref);
        byId.set(ref.id, refs);
      }
    }
    return [...byId.entries()].map(([id, collections]) => ({ ids: [...plan.ids, id], collections }));
  }
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
