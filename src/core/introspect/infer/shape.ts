import type { Field, ValueShape } from '../../model';
import type { AltAcc, Limits, ObjectAcc, SlotAcc } from './accumulate';
import { byFieldName, byTypeOrder, joinNative, share } from './order';
import type { InferNote } from './types';

/**
 * Turns the counters into SchemaModel fields. Everything here is a function of the counts and key sets
 * alone, never of arrival order: members sorted by name, alternatives by type, ties broken by that order.
 */
export class ShapeWriter {
  readonly notes: InferNote[] = [];

  constructor(private readonly limits: Limits) {}

  /** Members of an object position; `null` when it had too many keys to describe. */
  fieldsOf(obj: ObjectAcc, path: string): Field[] | null {
    if (!obj.fields) {
      this.notes.push({
        path,
        reason: 'width',
        message: `more than ${this.limits.maxFields.toLocaleString('en-US')} distinct fields: typed as an open object`,
      });
      return null;
    }
    const names = [...obj.fields.keys()].sort(byFieldName);
    return names.map((name) => this.field(name, obj.fields!.get(name)!, obj.count, path ? `${path}.${name}` : name));
  }

  private field(name: string, slot: SlotAcc, parents: number, path: string): Field {
    const alts = [...slot.alts].sort(byTypeOrder);
    const nulls = alts.filter((a) => a.type === 'null');
    const values = alts.filter((a) => a.type !== 'null');
    const nullCount = nulls.reduce((n, a) => n + a.count, 0);
    const optional = slot.present < parents;
    if (!values.length) return { name, type: 'null', nativeType: joinNative(nulls), nullable: true, optional, confidence: share(nullCount, parents) };
    const top = dominant(values);
    const field: Field = {
      name,
      type: top.type,
      nativeType: joinNative(values),
      nullable: nullCount > 0,
      optional,
      // A null agrees with the field's type (`T | null`), so it does not lower the confidence; a value of
      // another type does.
      confidence: share(top.count + nullCount, parents),
    };
    if (values.length === 1) return this.nested(top, path, field);
    field.types = values.map((a) => this.shape(a, path));
    return field;
  }

  /** The merged shape of everything an array position held; absent when every array there was empty. */
  private items(slot: SlotAcc, path: string): ValueShape | undefined {
    if (!slot.present) return undefined;
    const alts = [...slot.alts].sort(byTypeOrder);
    if (alts.length === 1) return this.shape(alts[0]!, path);
    const values = alts.filter((a) => a.type !== 'null');
    const top = dominant(values.length ? values : alts);
    return { type: top.type, nativeType: joinNative(alts), types: alts.map((a) => this.shape(a, path)) };
  }

  private shape(alt: AltAcc, path: string): ValueShape {
    return this.nested(alt, path, { type: alt.type, nativeType: alt.nativeType });
  }

  /** Adds what `alt` holds (members, element shape, referenced collection) to `out`. */
  private nested<T extends ValueShape>(alt: AltAcc, path: string, out: T): T {
    if (alt.cut) {
      this.notes.push({ path, reason: 'depth', message: `nested deeper than ${this.limits.maxDepth} levels: typed as open ${alt.type === 'array' ? 'array' : 'JSON'}` });
      return out;
    }
    if (alt.object) {
      const fields = this.fieldsOf(alt.object, path);
      // An object never seen with a key says nothing about its members: open, like a map.
      if (fields?.length) out.fields = fields;
    }
    if (alt.elements) {
      const items = this.items(alt.elements, `${path}[]`);
      if (items) out.items = items;
    }
    const refPath = alt.consistentRefPath();
    if (refPath !== undefined) out.refPath = refPath;
    return out;
  }
}

/** The most common alternative; `alts` is in type order, so a tie goes to the earlier type. */
function dominant(alts: readonly AltAcc[]): AltAcc {
  let top = alts[0]!;
  for (const a of alts) if (a.count > top.count) top = a;
  return top;
}
