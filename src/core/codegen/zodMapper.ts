import type { ValueMapping } from '../backend';
import type { Field, SchemaModel, TypeRef, ValueShape } from '../model';
import { sqlOf } from '../model';
import { DEFAULT_TYPES, declarationText } from './mapping';
import { NameAllocator, objectLiteralKey, pascalCase, tsString } from './naming';
import type { NamespaceLayout, TypeMode } from './layout';
import { fieldCode, overrideImports } from './overrides/resolve';
import { fromPart, SHARED_PART } from './split';
import { zodDeclaration, zodOf } from './zodMapping';

/**
 * Names of the zod target's schemas, shared by every zod file of one generation (a file imports another
 * namespace's enum schema by the name that file gives it). They come from ts-types' names, with `Schema`
 * appended, allocated per file so they never clash with each other or with what the file imports.
 */
export const ZOD_SUFFIXES = ['RowSchema', 'InsertSchema', 'UpdateSchema'] as const;

export interface ZodNamespaceLayout {
  types: NamespaceLayout;
  allocator: NameAllocator;
  enums: Map<string, string>;
  composites: Map<string, string>;
  /** Base per entity: the schemas are base + RowSchema / InsertSchema / UpdateSchema. */
  entities: Map<string, string>;
}

export function buildZodLayout(model: SchemaModel, layout: Map<string, NamespaceLayout>, mapping: ValueMapping): Map<string, ZodNamespaceLayout> {
  const mappings = [...Object.values(mapping.types), ...Object.values(mapping.native ?? {})];
  const reserved = [
    'z',
    'Json',
    'JsonSchema',
    ...Object.keys(mapping.declarations ?? {}),
    ...Object.keys(mapping.zodDeclarations ?? {}),
    ...mappings.flatMap((t) => [...(t.imports ?? []), ...(t.zod?.imports ?? []), ...(t.zod?.typeImports ?? [])].map((i) => i.name)),
    ...overrideImports(model).map((i) => i.name),
  ];
  const out = new Map<string, ZodNamespaceLayout>();
  for (const [name, types] of layout) {
    // The enum value arrays are imported from the types file by these names.
    const allocator = new NameAllocator([...reserved, ...types.enumValues.values()]);
    const enums = new Map([...types.enums].map(([sql, ts]) => [sql, allocator.allocate(`${ts}Schema`)]));
    const composites = new Map([...types.composites].map(([sql, ts]) => [sql, allocator.allocate(`${ts}Schema`)]));
    const entities = new Map([...types.entities].map(([sql, base]) => [sql, allocator.allocate(base, ZOD_SUFFIXES)]));
    out.set(name, { types, allocator, enums, composites, entities });
  }
  return out;
}

type Shape = ValueShape & { nullable?: boolean; sql?: Field['sql'] };

/** Object.prototype's members: an optional property so named also accepts the inherited member (layout.ts). */
const OBJECT_MEMBERS = new Set(['constructor', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable']);

/**
 * Fields to zod/v4 expressions for one file, mirroring TsTypeMapper shape for shape so that `z.infer` of
 * every schema is the ts-types type: unions, inline enumerations, enum and composite references (lazy, so
 * files and declarations may refer to each other in any order), nested objects, arrays, nullability, and
 * the value mapping's schemas. Collects the imports and helper declarations the file needs.
 */
export class ZodMapper {
  private readonly valueImports = new Map<string, Map<string, string>>();
  private readonly typeImports = new Map<string, Set<string>>();
  private readonly tsDeclared = new Set<string>();
  private readonly zodDeclared = new Set<string>();

  constructor(
    private readonly layout: Map<string, ZodNamespaceLayout>,
    private readonly current: ZodNamespaceLayout,
    private readonly mapping: ValueMapping,
    /** The part of a split namespace this file is (its stem, or SHARED_PART); undefined for a whole file. */
    private readonly part?: string,
  ) {}

  /** A field's schema; `nullable` overrides the field's own (composite attributes are always nullable). */
  field(field: Shape, mode: TypeMode, indent = '', nullable = !!field.nullable): string {
    const code = fieldCode(field as Field);
    let expr: string;
    if (code?.tsType !== undefined) {
      if (code.zodSchema) expr = this.valueImport(this.rebased(code.zodSchema.from), code.zodSchema.name);
      else {
        if (code.import) this.typeImport(this.rebased(code.import.from), code.import.name);
        expr = `z.custom<${code.tsType}>()`;
      }
    } else {
      expr = this.shape(field, mode, indent);
      for (let i = 0; i < sqlOf(field).arrayDims; i++) expr = `z.array(${expr})`;
    }
    return nullable && expr !== 'z.null()' ? `${expr}.nullable()` : expr;
  }

  /** A property of an object schema, `optional` or not, accepting an inherited member when named like one. */
  property(f: Field, mode: TypeMode, optional: boolean, indent: string, nullable?: boolean): string {
    let expr = this.field(f, mode, indent, nullable);
    if (optional && OBJECT_MEMBERS.has(f.name)) {
      expr = `z.union([${expr}, z.custom<Object[${tsString(f.name)}]>((value) => value === Object.prototype[${tsString(f.name)}])])`;
    }
    return optional ? `${expr}.optional()` : expr;
  }

  /** `z.object({…})` over fields, one per line; `name` gives each field's key (top level: its property name). */
  object(fields: readonly Field[], mode: TypeMode, indent: string, optional: (f: Field) => boolean, name: (f: Field) => string = (f) => f.name): string {
    if (!fields.length) return 'z.object({})';
    const inner = `${indent}  `;
    const lines = fields.map((f) => `${inner}${objectLiteralKey(name(f))}: ${this.property(f, mode, optional(f), inner)},`);
    return `z.object({\n${lines.join('\n')}\n${indent}})`;
  }

  private shape(s: Shape, mode: TypeMode, indent: string): string {
    if (s.types?.length) return union(s.types.map((t) => this.shape(t, mode, indent)));
    if (s.values) return s.values.length ? `z.enum([${s.values.map(tsString).join(', ')}])` : 'z.never()';
    if (s.type === 'enum' && s.enumRef) return this.ref(s.enumRef, 'enums') ?? this.mapped(s, mode);
    if (s.type === 'composite' && s.compositeRef) return this.ref(s.compositeRef, 'composites') ?? this.ref(s.compositeRef, 'entities') ?? this.mapped(s, mode);
    if (s.type === 'object' && s.fields) {
      // Record<string, never>, as ts-types writes an object known to have no members.
      if (!s.fields.length) return 'z.record(z.string(), z.never())';
      return this.object(s.fields, mode, indent, (f) => !!f.optional);
    }
    if (s.type === 'array' && s.items) return `z.array(${this.shape(s.items, mode, indent)})`;
    return this.mapped(s, mode);
  }

  private mapped(s: Shape, mode: TypeMode): string {
    const t = (s.nativeType !== undefined ? this.mapping.native?.[s.nativeType] : undefined) ?? this.mapping.types[s.type] ?? DEFAULT_TYPES[s.type];
    const zod = zodOf(t, s.type, mode === 'insert');
    if (zod) {
      // Imports and declarations may serve only one of row / write: take those this expression names.
      const named = (name: string) => new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(zod.row);
      for (const i of (zod.imports ?? []).filter((x) => named(x.name))) this.valueImport(this.rebased(i.from), i.name);
      for (const i of (zod.typeImports ?? []).filter((x) => named(x.name))) this.typeImport(this.rebased(i.from), i.name);
      for (const d of (zod.declares ?? []).filter(named)) this.declareZod(d);
      return zod.row;
    }
    // Typed, not checked: the mapping says what the value is in TypeScript only.
    for (const i of t.imports ?? []) this.typeImport(this.rebased(i.from), i.name);
    for (const d of t.declares ?? []) this.tsDeclared.add(d);
    return `z.custom<${mode === 'insert' ? (t.write ?? t.row) : t.row}>()`;
  }

  private declareZod(name: string): void {
    if (this.zodDeclared.has(name)) return;
    this.zodDeclared.add(name);
    const declaration = zodDeclaration(this.mapping, name);
    for (const n of declaration?.needs ?? []) this.tsDeclared.add(n);
    for (const n of declaration?.uses ?? []) this.declareZod(n);
  }

  /** Another schema of this generation: lazy, so declaration order and import cycles do not matter. */
  private ref(ref: TypeRef, which: 'enums' | 'composites' | 'entities'): string | undefined {
    const target = this.layout.get(ref.namespace);
    const base = target?.[which].get(ref.name);
    if (!target || !base) return undefined;
    const name = which === 'entities' ? `${base}RowSchema` : base;
    if (target === this.current) {
      const split = target.types.split;
      const home = !this.part || !split ? this.part : which === 'entities' ? split.partOf.get(ref.name)! : SHARED_PART;
      if (home === this.part) return which === 'enums' ? name : `z.lazy(() => ${name})`;
      // Another part of this namespace (names unique in it, no alias); lazy, as parts may import each other.
      return `z.lazy(() => ${this.valueImport(`./${home}.zod`, name)})`;
    }
    const stem = target.types.stem;
    const alias = this.valueImport(this.rebased(`./${stem}.zod`), name, `${pascalCase(stem)}${name}`);
    return `z.lazy(() => ${alias})`;
  }

  /** A relative import as this file must write it (a part is one folder down). */
  private rebased(from: string): string {
    return this.part ? fromPart(from) : from;
  }

  private valueImport(from: string, name: string, aliasWanted?: string): string {
    let names = this.valueImports.get(from);
    if (!names) this.valueImports.set(from, (names = new Map()));
    let alias = names.get(name);
    if (!alias) names.set(name, (alias = aliasWanted ? this.current.allocator.allocate(aliasWanted) : name));
    return alias;
  }

  private typeImport(from: string, name: string): void {
    let names = this.typeImports.get(from);
    if (!names) this.typeImports.set(from, (names = new Set()));
    names.add(name);
  }

  /** Import lines: values (`import { … }`), then types (`import type { … }`) not already imported as values. */
  imports(): { values: { names: string; from: string }[]; types: { names: string; from: string }[] } {
    const sorted = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    const values = sorted(this.valueImports).map(([from, names]) => ({
      from,
      names: [...names.entries()].map(([n, alias]) => (n === alias ? n : `${n} as ${alias}`)).join(', '),
    }));
    const types = sorted(this.typeImports)
      .map(([from, names]) => ({ from, names: [...names].filter((n) => !this.valueImports.get(from)?.has(n)).join(', ') }))
      .filter((t) => t.names);
    return { values, types };
  }

  /** TypeScript helper types, then helper schemas, each once and in a stable order. */
  declarations(): string[] {
    const ts = [...this.tsDeclared].sort().map((n) => declarationText(this.mapping, n) ?? '');
    const zod = [...this.zodDeclared].sort().map((n) => zodDeclaration(this.mapping, n)?.text ?? '');
    return [...ts, ...zod].filter(Boolean);
  }
}

/** One union of the parts, a part that is itself a union contributing its members (`int | long`). */
function union(parts: string[]): string {
  const unique = [...new Set(parts.flatMap(unionMembers))];
  return unique.length === 1 ? unique[0]! : `z.union([${unique.join(', ')}])`;
}

/** The members of `z.union([a, b])` (split at its top-level commas, strings skipped), else `[expr]`. */
function unionMembers(expr: string): string[] {
  const open = 'z.union([';
  if (!expr.startsWith(open) || !expr.endsWith('])')) return [expr];
  const members: string[] = [];
  let depth = 0;
  let start = open.length;
  for (let i = start; i < expr.length - 2; i++) {
    const c = expr[i]!;
    if (c === '"' || c === "'") {
      // Skip a string literal (our escaper writes double quotes; the mappings' texts single ones).
      for (i++; i < expr.length && expr[i] !== c; i++) if (expr[i] === '\\') i++;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      // The union's own `])` closes before its end: `z.union([a]).nullable()` is not a bare union.
      if (--depth < 0) return [expr];
    } else if (c === ',' && depth === 0) {
      members.push(expr.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (depth !== 0) return [expr];
  members.push(expr.slice(start, expr.length - 2).trim());
  return members;
}
