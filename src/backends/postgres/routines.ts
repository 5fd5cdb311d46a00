import type { Field, Routine, RoutineArg } from '../../core/model';
import { field, type ColumnType, type TypeInfoDoc } from './pgTypes';

/** FUNCTIONS_SQL's document (catalog.ts): one object per function, and the types they use. */
export interface FunctionsDoc {
  fns: FunctionRow[] | null;
  types: TypeInfoDoc;
}

interface FunctionRow {
  schema: string;
  name: string;
  /** f: function, p: procedure. */
  kind: string;
  /** i, s, v: immutable, stable, volatile. */
  volatility: string;
  /** RETURNS SETOF / TABLE. */
  set: boolean;
  ret: number;
  /** Every argument's type (OUT and TABLE ones too), in declaration order. */
  args: number[] | null;
  /** Per argument: i, o, b (INOUT), v (VARIADIC), t (TABLE column); null when all are IN. */
  modes: string[] | null;
  /** Per argument; '' for an unnamed one; null when none has a name. */
  names: string[] | null;
  /** How many of the last input arguments have defaults. */
  defaults: number;
  comment: string | null;
}

const MODE: Record<string, RoutineArg['mode']> = { i: 'in', b: 'inout', v: 'variadic' };
const VOLATILITY: Record<string, NonNullable<Routine['volatility']>> = { i: 'immutable', s: 'stable', v: 'volatile' };

/**
 * The model's Routines from the functions document, with their schema. Argument and result types are
 * resolved as columns' are (`types`: the document's TYPE_INFO, resolved). Arguments are IN, INOUT and
 * VARIADIC ones; OUT, INOUT and TABLE parameters make up the result:
 * - several of them, or any TABLE column: `columns` (one row, or many with SETOF / TABLE);
 * - exactly one OUT or INOUT: that value (`scalar`), named after the parameter, as PostgreSQL does;
 * - none: `void`, a table's or view's row type (`entity`), or any other type (`scalar`, named after the
 *   function, as PostgreSQL names the result column), a standalone composite type included.
 * Every value may be NULL (PostgreSQL passes and returns NULL for any type) except a NOT NULL domain.
 */
export function buildRoutines(doc: FunctionsDoc, types: ReadonlyMap<number, ColumnType>): { schema: string; routine: Routine }[] {
  const typed = (oid: number, name: string): Field => {
    const ct = types.get(oid);
    return field(name, ct?.native ?? 'unknown', ct, false, 0, null, undefined, undefined, undefined);
  };
  return (doc.fns ?? []).map((fn) => ({ schema: fn.schema, routine: routineOf(fn, typed, types) }));
}

function routineOf(fn: FunctionRow, typed: (oid: number, name: string) => Field, types: ReadonlyMap<number, ColumnType>): Routine {
  const argTypes = fn.args ?? [];
  const modes = fn.modes ?? argTypes.map(() => 'i');
  const names = fn.names ?? [];
  const inputs: number[] = [];
  const outputs: number[] = [];
  modes.forEach((mode, i) => {
    if (mode !== 'o' && mode !== 't') inputs.push(i);
    if (mode === 'o' || mode === 'b' || mode === 't') outputs.push(i);
  });
  const firstDefault = inputs.length - fn.defaults;
  const args: RoutineArg[] = inputs.map((i, k) => ({
    ...typed(argTypes[i]!, names[i] ?? ''),
    mode: MODE[modes[i]!] ?? 'in',
    hasDefault: k >= firstDefault,
  }));

  let returns: Routine['returns'];
  if (outputs.length > 1 || modes.includes('t')) {
    // An unnamed OUT parameter's column is called column1, column2, … by position among the outputs.
    returns = { set: fn.set, kind: 'columns', fields: outputs.map((i, k) => typed(argTypes[i]!, names[i] || `column${k + 1}`)) };
  } else if (outputs.length === 1) {
    returns = { set: fn.set, kind: 'scalar', type: typed(argTypes[outputs[0]!]!, names[outputs[0]!] || fn.name) };
  } else if (types.get(fn.ret)?.native === 'void') {
    returns = { set: false, kind: 'void' };
  } else {
    const relation = types.get(fn.ret)?.rowOf;
    returns = relation
      ? { set: fn.set, kind: 'entity', entity: { namespace: relation.namespace, entity: relation.name } }
      : { set: fn.set, kind: 'scalar', type: typed(fn.ret, fn.name) };
  }

  // A procedure is CALLed, not selected from, and has no volatility.
  const routine: Routine = fn.kind === 'p' ? { name: fn.name, args, returns, procedure: true } : { name: fn.name, args, returns, volatility: VOLATILITY[fn.volatility] ?? 'volatile' };
  if (fn.comment) routine.comment = fn.comment;
  return routine;
}
