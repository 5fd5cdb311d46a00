import type { Field, Namespace, SchemaModel, TypeRef } from '../model';
import type { ResolvedCodegenOptions } from './types';
import { NameAllocator, fileStem, pascalCase } from './naming';

/**
 * Names shared by the SQL targets: the file stem of each namespace and the TypeScript names of its enums,
 * composite types and entities. ts-types declares them, pg-crud imports them, so both must agree.
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
}

export function buildLayout(model: SchemaModel): Map<string, NamespaceLayout> {
  const stems = new Set<string>();
  const layout = new Map<string, NamespaceLayout>();
  for (const ns of model.namespaces) {
    const allocator = new NameAllocator(['Json', 'Interval', 'Tables', 'Views', 'Enums']);
    const enums = new Map(ns.enums.map((e) => [e.name, allocator.allocate(pascalCase(e.name))]));
    const composites = new Map(ns.composites.map((c) => [c.name, allocator.allocate(pascalCase(c.name))]));
    const entities = new Map(ns.entities.map((e) => [e.name, allocator.allocate(pascalCase(e.name), ENTITY_SUFFIXES)]));
    layout.set(ns.name, { ns, stem: fileStem(ns.name, stems), allocator, enums, composites, entities });
  }
  return layout;
}

export type TypeMode = 'row' | 'insert';

/** Maps fields to TypeScript type expressions for one file, collecting imports from other namespaces. */
export class TsTypeMapper {
  private readonly imports = new Map<string, Map<string, string>>(); // stem -> (name -> alias)

  constructor(
    private readonly layout: Map<string, NamespaceLayout>,
    private readonly current: NamespaceLayout,
    private readonly options: ResolvedCodegenOptions,
  ) {}

  fieldType(field: Pick<Field, 'type' | 'arrayDims' | 'nullable' | 'enumRef' | 'compositeRef'>, mode: TypeMode): string {
    let t = this.scalar(field, mode);
    for (let i = 0; i < field.arrayDims; i++) t = /^[\w.]+$/.test(t) ? `${t}[]` : `(${t})[]`;
    return field.nullable ? `${t} | null` : t;
  }

  /** `import type { … } from './x.types'` lines this file needs. */
  importLines(): { names: string; from: string }[] {
    return [...this.imports.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([stem, names]) => ({
        names: [...names.entries()].map(([n, alias]) => (n === alias ? n : `${n} as ${alias}`)).join(', '),
        from: `./${stem}.types`,
      }));
  }

  private scalar(field: Pick<Field, 'type' | 'enumRef' | 'compositeRef'>, mode: TypeMode): string {
    const o = this.options;
    switch (field.type) {
      case 'integer':
      case 'float':
        return 'number';
      case 'bigint':
        return o.int8As;
      case 'decimal':
        return o.numericAs;
      case 'boolean':
        return 'boolean';
      case 'date':
      case 'timestamp':
      case 'timestamptz':
        return o.dateAs === 'Date' ? (mode === 'row' ? 'Date' : 'Date | string') : 'string';
      case 'interval':
        return mode === 'row' ? 'Interval' : 'string';
      case 'json':
      case 'object':
        return 'Json';
      case 'bytes':
        return 'Uint8Array';
      case 'enum':
        return this.ref(field.enumRef, 'enums') ?? 'string';
      case 'composite':
        return this.ref(field.compositeRef, 'composites') ?? 'string';
      case 'null':
        return 'null';
      default:
        return 'string';
    }
  }

  private ref(ref: TypeRef | undefined, which: 'enums' | 'composites'): string | undefined {
    if (!ref) return undefined;
    const target = this.layout.get(ref.namespace);
    const name = target?.[which].get(ref.name);
    if (!target || !name) return undefined;
    if (target === this.current) return name;
    let names = this.imports.get(target.stem);
    if (!names) this.imports.set(target.stem, (names = new Map()));
    let alias = names.get(name);
    if (!alias) names.set(name, (alias = this.current.allocator.allocate(`${pascalCase(target.stem)}${name}`)));
    return alias;
  }
}

/** Columns a caller may write: not generated, not GENERATED ALWAYS AS IDENTITY. */
export function isWritable(field: Field): boolean {
  return field.generated === null && field.identity !== 'always';
}

/** Optional in an insert: the database fills it in (default, identity, nullable). */
export function isOptionalOnInsert(field: Field): boolean {
  return field.nullable || field.default !== null || field.identity !== null;
}
