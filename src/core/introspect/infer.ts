/**
 * Document schema inference, shared by the document backends (MongoDB, Firestore): sampled documents in,
 * SchemaModel fields out, with optional vs nullable, observed unions, nested objects, array element shapes and
 * a per-field confidence. Driver-free: each backend passes a `ValueClassifier` that knows its value types.
 *
 * Guarantees: the same documents in any order give deep-equal fields (the fingerprint depends on it); the
 * work is linear in the number of values; nesting deeper than `maxDepth` and objects with more than
 * `maxFields` distinct keys are typed as open JSON (with a note) instead of growing without bound.
 */
import { Accumulator, limitsOf, type Limits } from './infer/accumulate';
import { ShapeWriter } from './infer/shape';
import type { InferOptions, InferResult, ValueClassifier } from './infer/types';

export type { Classified, InferNote, InferOptions, InferResult, ValueClassifier } from './infer/types';
export { DEFAULT_MAX_DEPTH, DEFAULT_MAX_FIELDS } from './infer/types';
export { fieldsFromJsonSchema, type JsonSchemaHints } from './infer/jsonSchema';

/** Inference fed one document at a time (a driver cursor), without holding the sample in memory. */
export class DocumentInference {
  private readonly limits: Limits;
  private readonly acc: Accumulator;

  constructor(classifier: ValueClassifier, opts?: InferOptions) {
    this.limits = limitsOf(opts);
    this.acc = new Accumulator(classifier, this.limits);
  }

  /** Adds a document; returns false (and ignores it) when the classifier does not call it an object. */
  add(document: unknown): boolean {
    return this.acc.addDocument(document);
  }

  /** The fields inferred so far; may be called again after more `add`s. */
  result(): InferResult {
    const writer = new ShapeWriter(this.limits);
    const fields = writer.fieldsOf(this.acc.root, '');
    return { fields: fields ?? [], seen: this.acc.root.count, open: fields === null, notes: writer.notes };
  }
}

export function inferFields(documents: Iterable<unknown>, classifier: ValueClassifier, opts?: InferOptions): InferResult {
  const inference = new DocumentInference(classifier, opts);
  for (const doc of documents) inference.add(doc);
  return inference.result();
}
