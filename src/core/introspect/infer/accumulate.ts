import type { NeutralType } from '../../model';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_FIELDS, DEPTH_CEILING, type Classified, type InferOptions, type ValueClassifier } from './types';

/**
 * Counters for one position in the documents (a top-level document, or the objects found under `a.b`). Only
 * counts and the set of keys are kept, never values, so memory grows with the number of distinct positions,
 * not with the sample. Keys live in a Map: `__proto__` or `constructor` are plain data here.
 */
export class ObjectAcc {
  /** Objects seen at this position: the denominator of each member's optional flag and confidence. */
  count = 0;
  /** Null once more than `maxFields` distinct keys were seen: the position is then typed as open. */
  fields: Map<string, SlotAcc> | null = new Map();
}

/** One place a value can be: a member of an object, or the elements of an array. */
export class SlotAcc {
  /** Values seen here (members: the objects that had the key; elements: all elements). */
  present = 0;
  /** Distinct (type, nativeType) pairs; a handful at most, so a linear search beats a keyed lookup. */
  alts: AltAcc[] = [];
  /** The serial of the last object that gave this member a value: a repeated key counts once. */
  lastSerial = -1;
}

const REF_NONE = 0;
const REF_ONE = 1;
const REF_MIXED = 2;

/** One observed type at a slot, with the nested shape of its values. */
export class AltAcc {
  count = 0;
  /** Objects: their members (absent while the position is deeper than `maxDepth`). */
  object?: ObjectAcc;
  /** Arrays: their elements, all arrays at this position together. */
  elements?: SlotAcc;
  /** A container at the depth limit: typed as open, never walked. */
  cut = false;
  refState = REF_NONE;
  refPath: string | undefined;

  constructor(
    readonly type: NeutralType,
    readonly nativeType: string,
  ) {}

  /** The referenced collection when every reference here named the same one (in any order of arrival). */
  consistentRefPath(): string | undefined {
    return this.refState === REF_ONE ? this.refPath : undefined;
  }

  noteRef(refPath: string | undefined): void {
    if (this.refState === REF_NONE) {
      this.refState = REF_ONE;
      this.refPath = refPath;
    } else if (this.refState === REF_ONE && this.refPath !== refPath) {
      this.refState = REF_MIXED;
    }
  }
}

export interface Limits {
  maxDepth: number;
  maxFields: number;
}

export function limitsOf(opts: InferOptions = {}): Limits {
  const whole = (v: number | undefined, dflt: number) => (v === undefined || !Number.isFinite(v) ? dflt : Math.floor(v));
  return {
    maxDepth: Math.min(DEPTH_CEILING, Math.max(1, whole(opts.maxDepth, DEFAULT_MAX_DEPTH))),
    maxFields: Math.max(1, whole(opts.maxFields, DEFAULT_MAX_FIELDS)),
  };
}

/**
 * Folds documents into counters, one value at a time: every value is classified once and touched once, so
 * the work is linear in the number of values. Recursion follows the containers but never goes deeper than
 * `maxDepth` (at most 64), so hostile nesting cannot blow the stack.
 */
export class Accumulator {
  readonly root = new ObjectAcc();
  private serial = 0;

  constructor(
    private readonly classifier: ValueClassifier,
    private readonly limits: Limits,
  ) {}

  /** Adds one document; false (and nothing counted) when it is not an object. */
  addDocument(doc: unknown): boolean {
    const c = this.classifier.classify(doc);
    if (!c || c.type !== 'object') return false;
    this.addObject(this.root, c.entries, 1);
    return true;
  }

  /** Members of an object whose values sit at `depth`. */
  private addObject(obj: ObjectAcc, entries: Iterable<readonly [string, unknown]>, depth: number): void {
    obj.count++;
    const fields = obj.fields;
    if (!fields) return;
    const serial = ++this.serial;
    for (const [key, value] of entries) {
      const c = this.classifier.classify(value);
      if (!c) continue;
      let slot = fields.get(key);
      if (!slot) {
        if (fields.size >= this.limits.maxFields) {
          // Which keys would be kept depends on arrival order; dropping them all does not.
          obj.fields = null;
          return;
        }
        fields.set(key, (slot = new SlotAcc()));
      }
      if (slot.lastSerial === serial) continue;
      slot.lastSerial = serial;
      this.addValue(slot, c, depth);
    }
  }

  private addValue(slot: SlotAcc, c: Classified, depth: number): void {
    slot.present++;
    const alt = altFor(slot, c.type, c.nativeType);
    alt.count++;
    if (c.type === 'object' || c.type === 'array') {
      if (depth >= this.limits.maxDepth) {
        alt.cut = true;
      } else if (c.type === 'object') {
        this.addObject((alt.object ??= new ObjectAcc()), c.entries, depth + 1);
      } else {
        const elements = (alt.elements ??= new SlotAcc());
        for (const element of c.elements) {
          const e = this.classifier.classify(element);
          if (e) this.addValue(elements, e, depth + 1);
        }
      }
    } else if (c.type === 'reference') {
      alt.noteRef(c.refPath);
    }
  }
}

function altFor(slot: SlotAcc, type: NeutralType, nativeType: string): AltAcc {
  for (const a of slot.alts) if (a.type === type && a.nativeType === nativeType) return a;
  const alt = new AltAcc(type, nativeType);
  slot.alts.push(alt);
  return alt;
}
