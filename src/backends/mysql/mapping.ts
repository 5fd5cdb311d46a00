import type { TsType, ValueMapping } from '../../core/backend';

/**
 * What rows hold when read by the generated `mysql-crud` client, whose runtime reads every query with its own
 * typeCast (templates/mysql-runtime.hbs) so that the caller's pool settings cannot change a value's type:
 *
 * - BIGINT (signed or not) and DECIMAL → string, exact (read as text whatever supportBigNumbers /
 *   bigNumberStrings / decimalNumbers say); written as string or number.
 * - TINYINT(1) → boolean (any non-zero is true) when the profile's tinyint1AsBoolean is on (the default); the
 *   model then says `boolean`, otherwise `integer` → number. Other integers, YEAR, FLOAT, DOUBLE → number.
 * - DATE, DATETIME, TIMESTAMP → Date, in the pool's `timezone` (mysql2's default: local); strings accepted on
 *   write. DATETIME(4..6) lose their last three digits (a Date holds milliseconds). The pool must keep
 *   mysql2's default `dateStrings: false`: the runtime throws when a date arrives as a string.
 * - TIME → string (it can exceed 24 hours and be negative).
 * - JSON (MySQL's type, MariaDB's LONGTEXT with a json_valid check) → the parsed value; written as its JSON text.
 * - ENUM → a union of its values; SET → an array of its values (mysql2 reads a comma-joined string, the
 *   runtime splits it and joins it again on write).
 * - BIT, BINARY, VARBINARY, BLOBs → Buffer (mysql2's type). Spatial types → mysql2's parse: a point is
 *   `{ x, y }`, lines and polygons are arrays of points; written as WKT text through ST_GeomFromText.
 * - CHAR, VARCHAR, TEXTs, MariaDB's UUID / INET4 / INET6 → string. A type Plugboard does not know (VECTOR) is
 *   `unknown`.
 *
 * To get the same values from a plain mysql2 pool (without the generated client): `supportBigNumbers: true,
 * bigNumberStrings: true` for BIGINT, the defaults for DECIMAL, dates and JSON, and your own conversion of
 * TINYINT(1) (mysql2 gives 0/1) and SET (mysql2 gives 'a,b').
 */
const GEO_POINT = `/** A point as mysql2 reads it. */
export interface GeoPoint {
  x: number;
  y: number;
}`;
const GEOMETRY = `/** Any geometry as mysql2 reads it: a point, or (nested) arrays of points for lines, polygons and collections. */
export type Geometry = GeoPoint | Geometry[];`;

const dateish: TsType = { row: 'Date', write: 'Date | string' };
const buffer: TsType = { row: 'Buffer', imports: [{ name: 'Buffer', from: 'node:buffer' }] };
const geometry = (row: string, declares: string[]): TsType => ({ row, write: 'string', declares });
const points = (dims: number) => geometry(`GeoPoint${'[]'.repeat(dims)}`, ['GeoPoint']);

export const MYSQL_VALUE_MAPPING: ValueMapping = {
  types: {
    integer: { row: 'number' },
    bigint: { row: 'string', write: 'string | number' },
    decimal: { row: 'string', write: 'string | number' },
    float: { row: 'number' },
    boolean: { row: 'boolean' },
    date: dateish,
    timestamp: dateish,
    timestamptz: dateish,
    time: { row: 'string' },
    uuid: { row: 'string' },
    bytes: buffer,
    enum: { row: 'string' },
  },
  // Spatial columns by their type name (the model's nativeType).
  native: {
    point: points(0),
    multipoint: points(1),
    linestring: points(1),
    multilinestring: points(2),
    polygon: points(2),
    multipolygon: points(3),
    geometry: geometry('Geometry', ['GeoPoint', 'Geometry']),
    geometrycollection: geometry('Geometry', ['GeoPoint', 'Geometry']),
    geomcollection: geometry('Geometry', ['GeoPoint', 'Geometry']),
  },
  declarations: { GeoPoint: GEO_POINT, Geometry: GEOMETRY },
};
