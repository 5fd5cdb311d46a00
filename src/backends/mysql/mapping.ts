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
 * The zod target checks these as read: a Buffer with Buffer.isBuffer, points and geometries with schemas of
 * their own (GeoPointSchema, GeometrySchema); BIGINT/DECIMAL strings, dates and JSON as core's schemas.
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
const GEO_POINT_SCHEMA = `/** A point as mysql2 reads it. */
export const GeoPointSchema: z.ZodType<GeoPoint> = z.object({ x: z.number(), y: z.number() });`;
const GEOMETRY_SCHEMA = `/** Any geometry as mysql2 reads it. */
export const GeometrySchema: z.ZodType<Geometry> = z.lazy(() => z.union([GeoPointSchema, z.array(GeometrySchema)]));`;

const dateish: TsType = { row: 'Date', write: 'Date | string' };
const NODE_BUFFER = [{ name: 'Buffer', from: 'node:buffer' }];
const buffer: TsType = { row: 'Buffer', imports: NODE_BUFFER, zod: { row: 'z.custom<Buffer>((value) => Buffer.isBuffer(value))', imports: NODE_BUFFER } };
/** Read as mysql2 parses it (`row`, with its schema), written as WKT text. */
const geometry = (row: string, zod: string, declares: string[]): TsType => ({
  row,
  write: 'string',
  declares,
  zod: { row: zod, write: 'z.string()', declares: [zod.includes('GeometrySchema') ? 'GeometrySchema' : 'GeoPointSchema'] },
});
const points = (dims: number) => {
  let zod = 'GeoPointSchema';
  for (let i = 0; i < dims; i++) zod = `z.array(${zod})`;
  return geometry(`GeoPoint${'[]'.repeat(dims)}`, zod, ['GeoPoint']);
};

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
    geometry: geometry('Geometry', 'GeometrySchema', ['GeoPoint', 'Geometry']),
    geometrycollection: geometry('Geometry', 'GeometrySchema', ['GeoPoint', 'Geometry']),
    geomcollection: geometry('Geometry', 'GeometrySchema', ['GeoPoint', 'Geometry']),
  },
  declarations: { GeoPoint: GEO_POINT, Geometry: GEOMETRY },
  zodDeclarations: {
    GeoPointSchema: { text: GEO_POINT_SCHEMA, needs: ['GeoPoint'] },
    GeometrySchema: { text: GEOMETRY_SCHEMA, needs: ['GeoPoint', 'Geometry'], uses: ['GeoPointSchema'] },
  },
};
