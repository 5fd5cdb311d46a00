import { propertyKey, tsString } from '../../../core/codegen/naming';
import { sqlOf, type Entity, type Namespace, type Routine, type RoutineArg } from '../../../core/model';
import { nullable, type DbTypes } from './dbTypes';
import { BUILTIN_OIDS, splitNative } from './pgTypeNames';

/**
 * The `Functions` of a schema as `supabase gen types` writes them, and the computed fields functions add to
 * tables' and views' rows. Which functions PostgREST can call (named arguments, or one unnamed json, jsonb
 * or text argument), how results are typed (`setof` as an array, a row type spelled out), the `SetofOptions`
 * postgrest-js reads, and the error types it gives overloads PostgREST cannot tell apart all follow it.
 */
export interface Signature {
  routine: Routine;
  args: string;
  returns: string;
  /** The generator's error type stands in for the result: PostgREST cannot call it as declared. */
  error: boolean;
  setof?: { from: string; to: string; isOneToOne: boolean; isSetofReturn: boolean };
}

export interface FunctionView {
  name: string;
  signatures: Signature[];
}

/** A function PostgREST can call: its arguments in PostgREST's sense (IN, INOUT and VARIADIC ones). */
export function callable(r: Routine): boolean {
  if (r.procedure) return false;
  const args = r.args;
  const unnamedOk = (a: RoutineArg) => a.name !== '' || (a.hasDefault && isTextOrJson(a));
  return (
    args.length === 0 ||
    args.every((a) => a.name !== '') ||
    args.every(unnamedOk) ||
    (args.length === 1 && args[0]!.name === '' && (isTextOrJson(args[0]!) || isRowType(args[0]!)))
  );
}

/** Exactly json, jsonb or text: PostgREST passes a whole request body to one unnamed argument of these. */
function isTextOrJson(a: RoutineArg): boolean {
  return !sqlOf(a).domainRef && sqlOf(a).arrayDims === 0 && ['json', 'jsonb', 'text'].includes(a.nativeType);
}

/** A composite type: a table's, a view's, or a standalone one. */
function isRowType(a: RoutineArg): boolean {
  return a.type === 'composite' && !!a.compositeRef && !sqlOf(a).domainRef && sqlOf(a).arrayDims === 0;
}

export class FunctionTypes {
  constructor(private readonly types: DbTypes) {}

  /** The schema's callable functions grouped by name, in the order the generator lists them. */
  functions(ns: Namespace): FunctionView[] {
    const byName = new Map<string, Routine[]>();
    for (const r of ns.functions.filter(callable)) {
      let list = byName.get(r.name);
      if (!list) byName.set(r.name, (list = []));
      list.push(r);
    }
    return [...byName.entries()].map(([name, overloads]) => ({ name, signatures: overloads.map((r) => this.signature(ns, r, overloads)) }));
  }

  /** `name: type | null` members the entity's Row gains from functions taking its row (computed fields). */
  computedFields(ns: Namespace, e: Entity): { name: string; type: string }[] {
    return ns.functions
      .filter((r) => callable(r) && r.args.length === 1 && isRowType(r.args[0]!) && r.args[0]!.compositeRef!.namespace === ns.name && r.args[0]!.compositeRef!.name === e.name)
      .map((r) => ({ name: r.name, type: nullable(this.returnType(ns, r), true) }));
  }

  private signature(ns: Namespace, r: Routine, overloads: Routine[]): Signature {
    const args = this.argsType(r);
    const table = this.returnTable(r);
    const conflict = conflictError(ns.name, r, overloads);
    const rowError = !conflict && r.args.length === 1 && r.args[0]!.name === '' && isRowType(r.args[0]!) && table === undefined;
    const returns = conflict
      ? `{ error: true } & ${tsString(conflict)}`
      : rowError
        ? `{ error: true } & ${tsString(`the function ${ns.name}.${r.name} with parameter or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache`)}`
        : this.returnType(ns, r);
    const sig: Signature = { routine: r, args, returns: `${returns}${r.returns.set ? '[]' : ''}`, error: !!conflict || rowError };
    if (table !== undefined) {
      const set = r.returns.set;
      sig.setof = { from: '*', to: table, isOneToOne: !set, isSetofReturn: set };
      const only = r.args.length === 1 && r.returns.kind !== 'columns' ? r.args[0]! : undefined;
      if (only && isRowType(only)) sig.setof = { from: only.nativeType, to: table, isOneToOne: !set, isSetofReturn: set };
    }
    return sig;
  }

  private argsType(r: Routine): string {
    if (!r.args.length) return 'Record<PropertyKey, never>';
    return `{ ${r.args.map((a) => `${propertyKey(a.name)}${a.hasDefault ? '?' : ''}: ${this.types.value(a)}`).join('; ')} }`;
  }

  /** What a call returns, before `[]` for a set: the generator's three cases, and void. */
  private returnType(ns: Namespace, r: Routine): string {
    const ret = r.returns;
    if (ret.kind === 'void') return 'undefined';
    // RETURNS TABLE: its columns, as plain values. (OUT parameters return an anonymous record, below.)
    if (ret.kind === 'columns') {
      if (!ret.set) return 'Record<string, unknown>';
      return `{ ${(ret.fields ?? []).map((f) => `${propertyKey(f.name)}: ${this.types.value(f)}`).join('; ')} }`;
    }
    if (ret.kind === 'entity' && ret.entity) {
      // A row of a relation of the function's own schema is spelled out; another schema's is referenced.
      const e = ret.entity.namespace === ns.name ? this.types.entity(ns.name, ret.entity.entity) : undefined;
      if (e) return `{ ${e.fields.map((f) => `${propertyKey(f.name)}: ${this.types.column(f)}`).join('; ')} }`;
      return this.types.value({ nativeType: ret.entity.entity, type: 'composite', compositeRef: { namespace: ret.entity.namespace, name: ret.entity.entity } });
    }
    return ret.type ? this.types.value(ret.type) : 'unknown';
  }

  /** The relation or composite type a function returns rows of (`SetofOptions.to`), if any. */
  private returnTable(r: Routine): string | undefined {
    const ret = r.returns;
    if (ret.kind === 'entity') return ret.entity?.entity;
    const single = ret.kind === 'scalar' ? ret.type : ret.kind === 'columns' && ret.fields?.length === 1 ? ret.fields[0] : undefined;
    if (single && single.type === 'composite' && single.compositeRef && !sqlOf(single).domainRef && sqlOf(single).arrayDims === 0) return single.compositeRef.name;
    return undefined;
  }
}

/** pg_type's name of a value's type, as the generator prints it in conflict messages. */
function typname(f: { nativeType: string; sql?: RoutineArg['sql'] }): string {
  const { typname: name, array } = splitNative(f.nativeType);
  return array ? `_${name}` : name;
}

/** The return type's pg_type name: `int4`, a table's name, `record` for columns, `void`. */
function returnTypname(r: Routine): string {
  const ret = r.returns;
  if (ret.kind === 'void') return 'void';
  if (ret.kind === 'entity') return ret.entity?.entity ?? 'record';
  if (ret.kind === 'columns') return ret.fields?.length === 1 && ret.set ? typname(ret.fields[0]!) : 'record';
  return ret.type ? typname(ret.type) : 'unknown';
}

/**
 * Overloads PostgREST cannot choose between by the names of the arguments given: a function without arguments
 * beside one whose only argument is unnamed with a default, or one-argument overloads with the same argument
 * name and different types. The generator types their result as an error saying so.
 */
function conflictError(schema: string, r: Routine, overloads: Routine[]): string | undefined {
  if (overloads.length <= 1) return undefined;
  const others = overloads.filter((o) => o !== r);
  const advice = 'Try renaming the parameters or the function itself in the database so function overloading can be resolved';
  if (r.args.length === 0) {
    const other = others.find((o) => o.args.length === 1 && o.args[0]!.name === '' && o.args[0]!.hasDefault);
    if (other) return `Could not choose the best candidate function between: ${schema}.${r.name}(), ${schema}.${r.name}( => ${returnTypname(other)}). ${advice}`;
  }
  const arg = r.args.length === 1 && r.args[0]!.name !== '' ? r.args[0]! : undefined;
  if (arg) {
    const clashing = others.filter((o) => o.args.length === 1 && o.args[0]!.name === arg.name && typname(o.args[0]!) !== typname(arg));
    if (clashing.length) {
      const list = [r, ...clashing]
        .sort((a, b) => typeOid(a.args[0]!) - typeOid(b.args[0]!))
        .map((o) => `${schema}.${r.name}(${o.args.map((a) => `${a.name} => ${typname(a)}`).join(', ')})`)
        .join(', ');
      return `Could not choose the best candidate function between: ${list}. ${advice}`;
    }
  }
  return undefined;
}

/** The generator lists clashing overloads by their argument type's oid; user types come after built-ins. */
function typeOid(a: RoutineArg): number {
  return BUILTIN_OIDS[typname(a)] ?? Number.MAX_SAFE_INTEGER;
}
