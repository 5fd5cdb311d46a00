import type { ValueMapping } from '../../core/backend';

/**
 * What node-postgres returns with its default type parsers, which the generated pg-crud keeps: int8 and
 * numeric as strings (exact), dates and timestamps as Date (strings accepted on write), intervals as
 * postgres-interval objects (written as text), bytea as Buffer, and unknown types as their text.
 */
const INTERVAL = `/** An interval as node-postgres parses it. */
export interface Interval {
  years?: number;
  months?: number;
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
}`;

const dateish = { row: 'Date', write: 'Date | string' };

export const PG_VALUE_MAPPING: ValueMapping = {
  types: {
    bigint: { row: 'string' },
    decimal: { row: 'string' },
    date: dateish,
    timestamp: dateish,
    timestamptz: dateish,
    interval: { row: 'Interval', write: 'string', declares: ['Interval'] },
    bytes: { row: 'Uint8Array' },
    enum: { row: 'string' },
    composite: { row: 'string' },
    unknown: { row: 'string' },
  },
  declarations: { Interval: INTERVAL },
};
