import type { ValueMapping } from '../../core/backend';

/**
 * What supabase-js hands back: PostgREST's JSON. int8 and numeric arrive as JSON numbers, dates, times,
 * intervals and bytea (`\x…`) as strings, json as it is, composites as objects; types PostgREST prints as text
 * (inet, money, points, ranges) as strings.
 */
export const SUPABASE_VALUE_MAPPING: ValueMapping = {
  types: {
    bigint: { row: 'number' },
    decimal: { row: 'number' },
    date: { row: 'string' },
    timestamp: { row: 'string' },
    timestamptz: { row: 'string' },
    interval: { row: 'string' },
    bytes: { row: 'string' },
    unknown: { row: 'string' },
  },
};
