import type { TsType, ValueMapping } from '../backend';
import type { Entity, Field, Namespace, SchemaModel, TypeRef, ValueShape } from '../model';
import { sqlOf } from '../model';
import { DEFAULT_TYPES, declarationText } from './mapping';
import { NameAllocator, fileStem, pascalCase, propertyKey, tsString } from './naming';
import { entityCodeName, fieldCode, overrideImports } from './overrides/resolve';
import { fromPart, planSplit, SHARED_PART, type SplitLayout } from './split';

/**
 * Names shared by every target of one generation: the file stem of each namespace and the TypeScript names of
 * its enums, composite types and entities. ts-types declares them and the CRUD targets import them, so all
 * must agree.
 */
export const ENTITY_SUFFIXES = ['Row', 'Insert', 'Update', 'Key'] as const;

export interface NamespaceLayout {
  ns: Namespace;
  stem: string;
  allocator: NameAllocator;
  enums: Map<string, string>;
  composites: Map<string, string>;
  /** Base name per entity; the types are base + Row / Insert / Update / Key. */
  entities: Map<string, string>;
  /** Per enum, the name of the readonly array of its values (`OrderStatusValues`). */
  enumValues: Map<string, string>;
  /** Set when the namespace has more entities than the split threshold: its files are split into parts. */
  split?: SplitLayout;
}

/**
 * Names a types file declares or imports besides the schema's own: they must not be taken by an entity. The
 * names the user's overrides import are among them, so `import type { OrderMeta }` never meets a generated
 * `OrderMeta`.
 */
function reservedNames(model: SchemaModel, mapping: ValueMapping): string[] {
  const fromMapping = [...Object.values(mapping.types), ...Object.values(mapping.native ?? {})].flatMap((t) => t.imports?.map((i) => i.name) ?? []);
  const fromOverrides = overrideImports(model).map((i) => i.name);
  return ['Json', 'Tables', 'Views', 'Enums', 'Collections', ...Object.keys(mapping.declarations ?? {}), ...fromMapping, ...fromOverrides];
}

/**
 * Entity names come from `entityCodeName` (an override's `name`, else the entity's own). The enum value
 * arrays are named last, so adding them changed no name that existed before.
 */
export function buildLayout(model: SchemaModel, mapping: ValueMapping, splitThreshold = 0): Map<string, NamespaceLayout> {
  const stems = new Set<string>();
  const layout = new Map<string, NamespaceLayout>();
  const reserved = reservedNames(model, mapping);
  for (const ns of model.namespaces) {
    const allocator = new NameAllocator(reserved);
    const enums = new Map(ns.enums.map((e) => [e.name, allocator.allocate(pascalCase(e.name))]));
    const composites = new Map(ns.composites.map((c) => [c.name, allocator.allocate(pascalCase(c.name))]));
    const entities = new Map(ns.entities.map((e) => [e.name, allocator.allocate(pascalCase(entityCodeName(e)), ENTITY_SUFFIXES)]));
    const enumValues = new Map(ns.enums.map((e) => [e.name, allocator.allocate(`${enums.get(e.name)!}Values`)]));
    const stem = fileStem(ns.name, stems);
    const split = planSplit(ns, stem, splitThreshold);
    layout.set(ns.name, { ns, stem, allocator, enums, composites, entities, enumValues, ...(split ? { split } : {}) });
  }
  return layout;
}

export type TypeMode = 'row' | 'insert';

type Shape = ValueShape & { nullable?: boolean; sql?: Field['sql'] };

/**
 * Maps fields to TypeScript type expressions for one file through the backend's value mapping, collecting
 * what the file must import (other namespaces' enums, the driver's classes) and declare (Json, Interval).
 * Nested objects are written inline, one member per line, indented from `indent`.
 */
export class TsTypeMapper {
  private readonly imports = new Map<string, Map<string, string>>(); // module -> (name -> alias)
  private readonly declared = new Set<string>();

  constructor(
    private readonly layout: Map<string, NamespaceLayout>,
    private readonly current: NamespaceLayout,
    private readonly mapping: ValueMapping,
    /** The part of a split namespace this file is (its stem, or SHARED_PART); undefined for a whole file. */
    private readonly part?: string,
  ) {}

  /**
   * A field's type; a `tsType` override replaces the whole value type (arrays included), `| null` aside.
   * `nullable` overrides the field's own (a key is never null); pass the field itself, not a copy, or its
   * override is not found.
   */
  fieldType(field: Shape, mode: TypeMode, indent = '  ', nullable = !!field.nullable): string {
    const code = fieldCode(field as Field);
    if (code?.tsType !== undefined) {
      if (code.import) this.importName(this.rebased(code.import.from), code.import.name, code.import.name, true);
      // Every type the grammar allows (overrides/tsTypeExpr) stays whole before `| null`.
      return nullable ? `${code.tsType} | null` : code.tsType;
    }
    let t = this.shape(field, mode, indent);
    for (let i = 0; i < sqlOf(field).arrayDims; i++) t = arrayOf(t);
    return nullable && t !== 'null' ? `${t} | null` : t;
  }

  /** `import type { … } from '…'` lines this file needs, sorted by module. */
  importLines(): { names: string; from: string }[] {
    return [...this.imports.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([from, names]) => ({
        names: [...names.entries()].map(([n, alias]) => (n === alias ? n : `${n} as ${alias}`)).join(', '),
        from,
      }));
  }

  /** Declarations of the helper types used (Json, Interval, …), in a stable order. */
  declarations(): string[] {
    return [...this.declared].sort().map((name) => declarationText(this.mapping, name) ?? '');
  }

  /** Marks a helper declaration as used by text the template writes itself (e.g. `Json` in a signature). */
  use(name: string): void {
    this.declared.add(name);
  }

  private shape(s: Shape, mode: TypeMode, indent: string): string {
    if (s.types?.length) return union(s.types.map((t) => this.shape(t, mode, indent)));
    if (s.values) return s.values.length ? union(s.values.map(tsString)) : 'never';
    if (s.type === 'enum' && s.enumRef) return this.ref(s.enumRef, 'enums') ?? 'string';
    // A composite may be a table's or view's row type (PostgreSQL): its Row type.
    if (s.type === 'composite' && s.compositeRef) return this.ref(s.compositeRef, 'composites') ?? this.ref(s.compositeRef, 'entities') ?? this.mapped(s, mode);
    if (s.type === 'object' && s.fields) return this.objectType(s.fields, mode, indent);
    if (s.type === 'array' && s.items) return arrayOf(this.shape(s.items, mode, indent));
    return this.mapped(s, mode);
  }

  private mapped(s: Shape, mode: TypeMode): string {
    const t: TsType = (s.nativeType !== undefined ? this.mapping.native?.[s.nativeType] : undefined) ?? this.mapping.types[s.type] ?? DEFAULT_TYPES[s.type];
    const text = mode === 'insert' ? (t.write ?? t.row) : t.row;
    // Only what this text uses: a write-only class (BSONRegExp) must not be imported by a read-only view.
    const uses = (name: string) => new RegExp(`(^|[^\\w$])${name.replace(/[$]/g, '\\$')}([^\\w$]|$)`).test(text);
    for (const i of t.imports ?? []) if (uses(i.name)) this.importName(this.rebased(i.from), i.name, i.name);
    for (const d of t.declares ?? []) if (uses(d)) this.declared.add(d);
    return text;
  }

  private objectType(fields: readonly Field[], mode: TypeMode, indent: string): string {
    if (!fields.length) return 'Record<string, never>';
    const inner = `${indent}  `;
    const lines = fields.map((f) => `${inner}${propertyKey(f.name)}${f.optional ? '?' : ''}: ${this.fieldType(f, mode, inner)}${inheritedMember(f.name, !!f.optional)};`);
    return `{\n${lines.join('\n')}\n${indent}}`;
  }

  private ref(ref: TypeRef, which: 'enums' | 'composites' | 'entities'): string | undefined {
    const target = this.layout.get(ref.namespace);
    const base = target?.[which].get(ref.name);
    if (!target || !base) return undefined;
    const name = which === 'entities' ? `${base}Row` : base;
    if (target === this.current) {
      if (!this.part || !target.split) return name;
      // Another part of this namespace: its names are unique in the namespace, so they need no alias.
      const home = which === 'entities' ? target.split.partOf.get(ref.name)! : SHARED_PART;
      return home === this.part ? name : this.importName(`./${home}.types`, name, name, true);
    }
    return this.importName(this.rebased(`./${target.stem}.types`), name, `${pascalCase(target.stem)}${name}`);
  }

  /** A relative import as this file must write it (a part is one folder down). */
  private rebased(from: string): string {
    return this.part ? fromPart(from) : from;
  }

  /** `exact`: a name the user's override imports, reserved for it in every file (see reservedNames). */
  private importName(from: string, name: string, aliasWanted: string, exact = false): string {
    let names = this.imports.get(from);
    if (!names) this.imports.set(from, (names = new Map()));
    let alias = names.get(name);
    if (!alias) names.set(name, (alias = from.startsWith('.') && !exact ? this.current.allocator.allocate(aliasWanted) : name));
    return alias;
  }
}

function arrayOf(t: string): string {
  return /^[\w.]+$/.test(t) ? `${t}[]` : `(${t})[]`;
}

/** Alternatives once each, also when a mapped type is itself a union (`number` and `number | Long`). */
function union(parts: string[]): string {
  return [...new Set(parts.flatMap(alternatives))].join(' | ');
}

/** The top-level alternatives of a type expression: ` | ` outside brackets and string literals. */
function alternatives(type: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < type.length; i++) {
    const c = type[i]!;
    if (c === '"' || c === "'") {
      // A literal from tsString (JSON-escaped): skip to its closing quote.
      for (i++; i < type.length && type[i] !== c; i++) if (type[i] === '\\') i++;
    } else if ('({[<'.includes(c)) depth++;
    else if (')}]>'.includes(c)) depth--;
    else if (depth === 0 && type.startsWith(' | ', i)) {
      out.push(type.slice(start, i));
      start = i + 3;
      i += 2;
    }
  }
  out.push(type.slice(start));
  return out;
}

/**
 * Every object literal has Object.prototype's members, and TypeScript checks them against optional properties
 * of the same name: with a column `toString`, `{ name: 'x' }` would not be a valid Insert. Optional properties
 * so named also accept the inherited member; the runtime only ever reads own properties.
 */
const OBJECT_MEMBERS = new Set(['constructor', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable']);

export function inheritedMember(name: string, optional: boolean): string {
  return optional && OBJECT_MEMBERS.has(name) ? ` | Object[${tsString(name)}]` : '';
}

/** Columns a caller may write: not generated, not GENERATED ALWAYS AS IDENTITY. */
export function isWritable(field: Field): boolean {
  const sql = sqlOf(field);
  return sql.generated === null && sql.identity !== 'always';
}

/**
 * Optional in an insert: the database or the driver fills it in (default, identity, nullable, a generated
 * key). A view column traced to its base column (`nullability`) may be not null and still be filled in: an
 * insert through the view takes the base column's default, which the view's own catalog entry does not show.
 */
export function isOptionalOnInsert(field: Field, mapping: ValueMapping): boolean {
  const sql = sqlOf(field);
  return (
    field.nullable ||
    !!field.optional ||
    field.nullability !== undefined ||
    sql.default !== null ||
    sql.identity !== null ||
    !!sql.autoIncrement ||
    !!mapping.generatedKeys?.includes(field.name)
  );
}

const READ_ONLY_KINDS = new Set(['view', 'materialized_view', 'endpoint']);

/** An entity generated code may write: a table or collection, or a view the server writes through. */
export function isWritableEntity(e: Entity): boolean {
  return !READ_ONLY_KINDS.has(e.kind) || e.sql?.updatable === true;
}

/** A sampled field's certainty, for JSDoc: `seen in 87% of 1,000 sampled documents`. */
export function confidenceNote(f: Field, e: Entity): string | undefined {
  const size = e.stats?.sample?.seen;
  if (f.confidence === undefined || f.confidence >= 1 || !size) return undefined;
  return `seen in ${Math.round(f.confidence * 100)}% of ${size.toLocaleString('en-US')} sampled documents`;
}
