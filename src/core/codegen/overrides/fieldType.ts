import type { ValueMapping } from '../../backend';
import type { Field, SchemaModel } from '../../model';
import { buildLayout, TsTypeMapper } from '../layout';
import { applyOverrides } from '../mapping';
import type { MappingOverrides } from '../types';
import type { FieldRef } from './edit';
import { tsTypeProblem } from './tsTypeExpr';

/** The field a ref names in a model (top-level, then nested object members or array items' members). */
export function fieldAt(model: SchemaModel, ref: FieldRef): Field | undefined {
  const entity = model.namespaces.find((n) => n.name === ref.namespace)?.entities.find((e) => e.name === ref.entity);
  let fields: readonly Field[] | undefined = entity?.fields;
  let found: Field | undefined;
  for (const name of ref.field) {
    found = fields?.find((f) => f.name === name);
    if (!found) return undefined;
    fields = found.fields ?? found.items?.fields;
  }
  return found;
}

/**
 * The type generated code gives a field without an override, `| null` aside, on one line: what "Override
 * Type…" starts from. Undefined when the model has no such field or the type is not one an override could
 * say (too long, say, for a wide nested object).
 */
export function generatedTypeOf(model: SchemaModel, mapping: ValueMapping, settings: MappingOverrides, ref: FieldRef): string | undefined {
  const field = fieldAt(model, ref);
  const mapped = applyOverrides(mapping, settings);
  const layout = buildLayout(model, mapped);
  const nsl = layout.get(ref.namespace);
  if (!field || !nsl) return undefined;
  const text = new TsTypeMapper(layout, nsl, mapped).fieldType(field, 'row', '', false).replace(/\s*\n\s*/g, ' ').trim();
  return tsTypeProblem(text) ? undefined : text;
}
