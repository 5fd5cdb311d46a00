/**
 * Generates ts-types + mysql-crud + zod from the hostile schema on the local MariaDB (plus a table in the
 * second database whose names hold `${`, `*\/`, U+2028 and quotes, in its ENUM and SET values too), compiles
 * them with `tsc --strict` (and the stricter flags) with a type-level check that `z.infer` of every zod schema
 * is its ts-types type, and runs the generated client: insert → get → update → list → delete on every kind of
 * table, one row of every type read back and checked against the generated types, and every row of every
 * table and view parsed by its zod Row schema.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createPool, escapeId, type Pool, type PoolOptions } from 'mysql2/promise';
import { mysqlBackend } from '../../src/backends/mysql';
import { generate } from '../../src/core/codegen/generate';
import { parseHeader } from '../../src/core/codegen/header';
import { buildLayout } from '../../src/core/codegen/layout';
import { fileStem } from '../../src/core/codegen/naming';
import { buildZodLayout } from '../../src/core/codegen/zodMapper';
import { writeGeneratedFiles } from '../../src/core/codegen/writer';
import type { SchemaModel } from '../../src/core/model';
import { adminSecret, connectMysql, createScratchDatabases, loadHostile, serverOptions, type ScratchDatabases } from '../support/mysql';
import { compileStrict, conforms, nonNull, rowTypes } from '../support/mysqlTypes';
import { listFiles, makeWorkDir, REPO } from '../support/workdir';
import { writeWithZodChecks } from '../support/zodCheck';

type Scenarios = Record<string, (pool: Pool) => Promise<void>>;
type EveryTypeReader = (pool: Pool) => Promise<{ full: Record<string, unknown>; empty: Record<string, unknown> }>;
type ZodModule = Record<string, { safeParse(v: unknown): { success: boolean; error?: unknown } }>;
type CrudModule = { createClient(pool: Pool): Record<string, { list(): Promise<unknown[]> }> };

/** A table in the second database whose names and ENUM / SET values need every escaper of the zod file. */
const HOSTILE_ZOD_TABLE = 'zod ${x} \u2028 */ "q" \'s\' `t`';
const HOSTILE_ZOD_SQL = [
  `CREATE TABLE ${escapeId(HOSTILE_ZOD_TABLE)} (`,
  '  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,',
  "  `${a}` ENUM('x\u2028y', '${z}', '*/', 'it''s', '`') NOT NULL DEFAULT '*/',",
  "  `line\u2028sep */` SET('a', '${b}', 'c\u2029d') NULL,",
  '  `select` DECIMAL(30, 10) NULL,',
  '  `constructor` BIT(12) NULL',
  ');',
  `INSERT INTO ${escapeId(HOSTILE_ZOD_TABLE)} (\`\${a}\`, \`line\u2028sep */\`, \`select\`, \`constructor\`) VALUES ('x\u2028y', '\${b},c\u2029d', 12345678901234567890.0123456789, b'101010101010'), ('\`', NULL, NULL, NULL);`,
].join('\n');

/** The scenarios test/fixtures/mysql-crud-driver.ts must export, listed here so mocha can name one test each. */
const SCENARIOS = [
  'simple table',
  'composite primary key and composite foreign key',
  'hostile names',
  'generated columns, defaults and CHECK constraints',
  'self and cross-database foreign keys',
  'partitioned table and JSON',
  'every type, filtered by its own values',
  'a connection in a transaction',
  'views and tables without a key are read-only',
];

describe('mysql-crud for the hostile schema', function () {
  this.timeout(180_000);
  let dbs: ScratchDatabases | undefined;
  let work: Awaited<ReturnType<typeof makeWorkDir>> | undefined;
  let model: SchemaModel;
  let gen: string;
  let stems: { main: string; other: string; empty: string };
  let driver: { scenarios: Scenarios; readEveryType: EveryTypeReader } | undefined;

  before(async () => {
    dbs = await createScratchDatabases('main café "q"', 'other', 'empty');
    await loadHostile(dbs, dbs.names[0]!, dbs.names[1]!);
    await dbs.exec(HOSTILE_ZOD_SQL, dbs.names[1]);
    work = await makeWorkDir('mysql-codegen');
    const session = await connectMysql(serverOptions(dbs.names[0]));
    try {
      model = await session.introspect({ include: dbs.names });
    } finally {
      await session.close();
    }
    gen = path.join(work.dir, 'gen');
    const taken = new Set<string>();
    stems = { main: fileStem(dbs.names[0]!, taken), other: fileStem(dbs.names[1]!, taken), empty: fileStem(dbs.names[2]!, taken) };
  });

  after(async () => {
    await Promise.allSettled([dbs?.drop(), work?.remove()]);
  });

  const options = () => ({ profileName: 'hostile "profile"', targets: ['mysql-crud', 'zod'], offers: mysqlBackend.targets, mapping: mysqlBackend.valueMapping });

  it('writes ts-types, mysql-crud and zod files with our header, one module per database (an empty one too)', async () => {
    const result = await generate(model, options());
    assert.deepEqual(result.targets, ['ts-types', 'mysql-crud', 'zod'], 'mysql-crud pulls in the types it imports');
    const written = await writeGeneratedFiles(gen, result.files);
    const names = (await listFiles(gen)).map((f) => path.relative(gen, f));
    assert.deepEqual(names, [
      `${stems.main}.crud.ts`,
      `${stems.main}.types.ts`,
      `${stems.main}.zod.ts`,
      `${stems.other}.crud.ts`,
      `${stems.other}.types.ts`,
      `${stems.other}.zod.ts`,
      `${stems.empty}.crud.ts`,
      `${stems.empty}.types.ts`,
      `${stems.empty}.zod.ts`,
      'plugboard-mysql-runtime.ts',
      'plugboard.schema.json',
    ].sort());
    for (const file of written.written) {
      const header = parseHeader(await fs.readFile(file, 'utf8'));
      assert.equal(header?.fingerprint, result.fingerprint, `header of ${file}`);
    }
    const again = await writeGeneratedFiles(gen, (await generate(model, options())).files);
    assert.deepEqual([again.written.length, again.unchanged.length], [0, 11], 'regenerating an unchanged schema changes nothing on disk');
    const zod = await fs.readFile(path.join(gen, `${stems.main}.zod.ts`), 'utf8');
    const everyType = zod.slice(zod.indexOf('export const EveryTypeRowSchema'));
    const line = (text: string, key: string) => text.split('\n').find((l) => l.startsWith(`  ${key}: `));
    assert.equal(line(everyType, 'mood'), '  mood: z.enum(["", "it\'s", "a,b", "with space", "ünï 日本", "back\\\\slash", "q\\"d", "a*/b"]).nullable(),', 'ENUM: an inline enumeration');
    assert.equal(line(everyType, 'tags'), '  tags: z.array(z.enum(["a", "b c", "ü", "it\'s"])).nullable(),', 'SET: an array of its values');
    assert.equal(line(everyType, 'big_u'), '  big_u: z.string().nullable(),', 'BIGINT UNSIGNED: an exact string');
    assert.equal(line(everyType, 'bits'), '  bits: z.custom<Buffer>((value) => Buffer.isBuffer(value)).nullable(),', 'BIT: a Buffer');
    const insert = zod.slice(zod.indexOf('export const EveryTypeInsertSchema'));
    assert.equal(line(insert, 'pt'), '  pt: z.string().nullable().optional(),', 'a point is written as WKT text');
    const other = await fs.readFile(path.join(gen, `${stems.other}.zod.ts`), 'utf8');
    assert.ok(!other.includes('\u2028') && !other.includes('\u2029'), 'line separators are escaped in names, values and comments');
    assert.ok(other.includes('z.enum(["x\\u2028y", "${z}", "*/", "it\'s", "`"])'), 'ENUM values with a line separator, `${` and `*/`');
  });

  it('writes metadata as typed literals, identifiers quoted by escapeId, nothing else pasted', async () => {
    const crud = await fs.readFile(path.join(gen, `${stems.main}.crud.ts`), 'utf8');
    assert.match(crud, /table: "`pb_t_[0-9a-f]+ main café \\"q\\"`\.`weird ``tick`` \\"quote\\" 'single' café 日本`",/);
    assert.match(crud, /\{ name: "what\?", sql: "`what\?`" \},/);
    assert.match(crud, /\{ name: "doc", sql: "`doc`", kind: "json", equals: "JSON_EQUALS\(`doc`, \?\)" \},/);
    assert.match(crud, /\{ name: "total", sql: "`total`", kind: "exact", generated: true \},/);
    assert.match(crud, /\{ name: "tags", sql: "`tags`", kind: "set" \},/);
    assert.match(crud, /autoIncrement: "id",/);
    assert.doesNotMatch(crud, /from 'mysql2'|require\(/, 'the CRUD module loads no driver code of its own');
  });

  it('the generated files compile with tsc --strict and the stricter checks, z.infer of each zod schema being its type', async () => {
    const generated = await generate(model, options());
    const { checks } = await writeWithZodChecks(gen, generated.files.filter((f) => f.path.endsWith('.zod.ts')));
    assert.ok(checks > 40, `${checks} zod schemas checked`);
    const result = await compileStrict(gen, false);
    assert.equal(result.code, 0, `tsc failed:\n${result.stdout}${result.stderr}`);
  });

  it('a program using the client with a mysql2 Pool compiles (and misuse does not)', async () => {
    await fs.writeFile(
      path.join(gen, 'hostile.ts'),
      [
        `export * as main from './${stems.main}.crud';`,
        `export * as other from './${stems.other}.crud';`,
        `export type * as M from './${stems.main}.types';`,
        '',
      ].join('\n'),
    );
    await fs.copyFile(path.join(REPO, 'test', 'fixtures', 'mysql-crud-driver.ts'), path.join(gen, 'mysql-crud-driver.ts'));
    const result = await compileStrict(gen, true);
    assert.equal(result.code, 0, `tsc failed:\n${result.stdout}${result.stderr}`);
     
    driver = require(path.join(gen, 'js', 'mysql-crud-driver.js')) as typeof driver;
    assert.deepEqual(Object.keys(driver!.scenarios), SCENARIOS);
  });

  /** A pool like a user's: mysql2's defaults, or settings that would change every type the runtime reads itself. */
  const pools: Record<string, PoolOptions> = {
    "mysql2's defaults": {},
    'bigNumberStrings off, decimalNumbers, jsonStrings and a global typeCast': {
      supportBigNumbers: false,
      bigNumberStrings: false,
      decimalNumbers: true,
      jsonStrings: true,
      typeCast: (field, next) => (field.type === 'TINY' ? 'not a number' : next()),
    },
  };

  for (const [label, extra] of Object.entries(pools)) {
    describe(`round trips on a pool with ${label}`, () => {
      let pool: Pool | undefined;
      before(function () {
        if (!driver) throw new Error('the client did not compile; see the test above');
        const o = serverOptions(dbs!.names[0]);
        pool = createPool({ host: o.host, port: o.port, user: o.user, password: adminSecret().password, database: o.database, connectionLimit: 4, ...extra });
      });
      after(async () => {
        await pool?.end();
      });

      it('reads one row of every type back as exactly what the generated types say', async () => {
        const types = rowTypes(await fs.readFile(path.join(gen, `${stems.main}.types.ts`), 'utf8'), 'EveryTypeRow');
        const { full, empty } = await driver!.readEveryType(pool!);
        assert.deepEqual(Object.keys(full), [...types.keys()], 'every column, in column order');
        for (const [column, type] of types) {
          assert.ok(conforms(full[column], nonNull(type)), `${column}: ${show(full[column])} is not ${nonNull(type)}`);
          const expectNull = column !== 'id' && column !== 'flag';
          assert.ok(expectNull ? empty[column] === null : conforms(empty[column], type), `${column} of the empty row: ${show(empty[column])}`);
        }
        assert.deepEqual(pick(full, ['flag', 'tiny_u', 'normal_u', 'big', 'big_u', 'decimal', 'num', 'fl', 'dbl', 't', 't3', 'y']), {
          flag: true, tiny_u: 255, normal_u: 4294967295, big: '-9223372036854775808', big_u: '18446744073709551615',
          decimal: '12345678901234567890.0123456789', num: '-999.99', fl: 1.5, dbl: 0.30000000000000004, t: '-838:59:59', t3: '12:34:56.789', y: 2155,
        });
        assert.deepEqual([...(full.bits as Buffer)], [0x0a, 0xbc]);
        assert.deepEqual([...(full.bin as Buffer)], [0, 1, 2, 3]);
        assert.equal((full.d as Date).getTime(), new Date(2024, 1, 29).getTime());
        assert.equal((full.dt6 as Date).getMilliseconds(), 123, 'DATETIME(6) keeps milliseconds (a Date holds no more)');
        assert.equal((full.ts as Date).getTime(), new Date(2024, 4, 1, 10, 0, 0, 123).getTime());
        assert.deepEqual(full.doc, { a: [1, 'two', null, { three: true }], 'quote"': "it's", n: 1.5 });
        assert.deepEqual([full.mood, full.tags, full.vc], ['ünï 日本', ['a', "it's"], 'ünï 日本 😀']);
        assert.deepEqual([full.pt, full.geo, full.poly], [{ x: 1, y: 2 }, [{ x: 0, y: 0 }, { x: 1, y: 1 }], [[{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }, { x: 0, y: 0 }]]]);
        assert.deepEqual([full.uid, full.ip6, empty.flag], ['123e4567-e89b-12d3-a456-426614174000', '::1', false]);
      });

      for (const name of SCENARIOS) {
        it(name, async () => {
          await driver!.scenarios[name]!(pool!);
        });
      }

      it('zod: a row of every type (full and empty) and every row of every table and view parse with their schemas', async () => {
        const zodOf = (stem: string) => require(path.join(gen, 'js', `${stem}.zod.js`)) as ZodModule;
        const main = zodOf(stems.main);
        const { full, empty } = await driver!.readEveryType(pool!);
        for (const row of [full, empty]) assert.deepEqual(main.EveryTypeRowSchema!.safeParse(row).error, undefined);
        const every = (require(path.join(gen, 'js', 'mysql-crud-driver.js')) as { EVERY_TYPE: unknown }).EVERY_TYPE;
        assert.deepEqual(main.EveryTypeInsertSchema!.safeParse(every).error, undefined, 'the insert the driver test writes');
        assert.equal(main.EveryTypeRowSchema!.safeParse({ ...full, big: 1 }).success, false, 'a BIGINT as a number is not what the client reads');
        assert.equal(main.EveryTypeRowSchema!.safeParse({ ...full, tags: ['nope'] }).success, false, 'a SET member it does not have');
        assert.equal(main.EveryTypeRowSchema!.safeParse({ ...full, bits: new Uint8Array(2) }).success, false, 'a BIT is a Buffer');
        const zodLayout = buildZodLayout(model, buildLayout(model, mysqlBackend.valueMapping), mysqlBackend.valueMapping);
        let parsed = 0;
        for (const ns of model.namespaces) {
          const zl = zodLayout.get(ns.name)!;
          const schemas = zodOf(zl.types.stem);
          const client = (require(path.join(gen, 'js', `${zl.types.stem}.crud.js`)) as CrudModule).createClient(pool!);
          for (const e of ns.entities) {
            const schema = schemas[`${zl.entities.get(e.name)!}RowSchema`]!;
            for (const row of await client[e.name]!.list()) {
              assert.deepEqual(schema.safeParse(row).error, undefined, `${ns.name}.${e.name}`);
              parsed++;
            }
          }
        }
        assert.ok(parsed >= 2, `${parsed} rows parsed`);
      });
    });
  }
});

function pick(row: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, row[k]]));
}

function show(value: unknown): string {
  return Buffer.isBuffer(value) ? `Buffer(${value.length})` : value instanceof Date ? `Date(${value.toISOString()})` : `${typeof value} ${JSON.stringify(value)}`;
}
