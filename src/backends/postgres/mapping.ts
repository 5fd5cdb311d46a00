import type { TsType, ValueMapping } from '../../core/backend';

/**
 * What node-postgres returns with its default type parsers, which the generated pg-crud keeps: int8 and
 * numeric as strings (exact; pg-crud reads numeric arrays as text[] for the same reason), dates and
 * timestamps as Date (strings accepted on write), intervals as postgres-interval objects (an Interval object
 * or interval text on write; pg-crud turns objects into text), points and circles as objects (pg-crud writes
 * them as their text), bytea as Buffer, and unknown types as their text.
 */
const INTERVAL = `/** An interval as node-postgres parses it; on write, pg-crud sends it as interval text. */
export interface Interval {
  years?: number;
  months?: number;
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
}`;

/** The zod target's check of an Interval: typed as the declaration, so z.infer is exactly `Interval`. */
const INTERVAL_SCHEMA = `/** An interval as node-postgres parses it. */
export const IntervalSchema: z.ZodType<Interval> = z.object({
  years: z.number().optional(),
  months: z.number().optional(),
  days: z.number().optional(),
  hours: z.number().optional(),
  minutes: z.number().optional(),
  seconds: z.number().optional(),
  milliseconds: z.number().optional(),
});`;

const dateish = { row: 'Date', write: 'Date | string' };
const point: TsType = { row: '{ x: number; y: number }', zod: { row: 'z.object({ x: z.number(), y: z.number() })' } };
const circle: TsType = { row: '{ x: number; y: number; radius: number }', zod: { row: 'z.object({ x: z.number(), y: z.number(), radius: z.number() })' } };

export const PG_VALUE_MAPPING: ValueMapping = {
  types: {
    bigint: { row: 'string' },
    decimal: { row: 'string' },
    date: dateish,
    timestamp: dateish,
    timestamptz: dateish,
    interval: {
      row: 'Interval',
      write: 'Interval | string',
      declares: ['Interval'],
      zod: { row: 'IntervalSchema', write: 'z.union([IntervalSchema, z.string()])', declares: ['IntervalSchema'] },
    },
    bytes: { row: 'Uint8Array' },
    enum: { row: 'string' },
    composite: { row: 'string' },
    unknown: { row: 'string' },
  },
  // By format_type's spelling, which for an array column is the array's (`point[]`); the type given is the
  // element's, as TsTypeMapper adds the array brackets itself. pg leaves circle[] as text (pg-crud reads it as
  // text[]); a domain over these is typed as its neutral type (pg-crud reads it as text).
  native: { point, 'point[]': point, circle },
  declarations: { Interval: INTERVAL },
  zodDeclarations: { IntervalSchema: { text: INTERVAL_SCHEMA, needs: ['Interval'] } },
};
