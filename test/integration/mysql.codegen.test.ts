/**
 * Generates ts-types + mysql-crud from the hostile schema on the local MariaDB, compiles them with
 * `tsc --strict` (and the stricter flags), and runs the generated client: insert → get → update → list →
 * delete on every kind of table, and one row of every type read back and checked against the generated types.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createPool, type Pool, type PoolOptions } from 'mysql2/promise';
import { mysqlBackend } from '../../src/backends/mysql';
import { generate } from '../../src/core/codegen/generate';
import { parseHeader } from '../../src/core/codegen/header';
import { fileStem } from '../../src/core/codegen/naming';
import { writeGeneratedFiles } from '../../src/core/codegen/writer';
import type { SchemaModel } from '../../src/core/model';
import { adminSecret, connectMysql, createScratchDatabases, loadHostile, serverOptions, type ScratchDatabases } from '../support/mysql';
import { compileStrict, conforms, nonNull, rowTypes } from '../support/mysqlTypes';
import { listFiles, makeWorkDir, REPO } from '../support/workdir';

type Scenarios = Record<string, (pool: Pool) => Promise<void>>;
type EveryTypeReader = (pool: Pool) => Promise<{ full: Record<string, unknown>; empty: Record<string, unknown> }>;

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

  const options = () => ({ profileName: 'hostile "profile"', targets: ['mysql-crud'], offers: mysqlBackend.targets, mapping: mysqlBackend.valueMapping });

  it('writes ts-types and mysql-crud files with our header, one module per database (an empty one too)', async () => {
    const result = await generate(model, options());
    assert.deepEqual(result.targets, ['ts-types', 'mysql-crud'], 'mysql-crud pulls in the types it imports');
    const written = await writeGeneratedFiles(gen, result.files);
    const names = (await listFiles(gen)).map((f) => path.relative(gen, f));
    assert.deepEqual(names, [
      `${stems.main}.crud.ts`,
      `${stems.main}.types.ts`,
      `${stems.other}.crud.ts`,
      `${stems.other}.types.ts`,
      `${stems.empty}.crud.ts`,
      `${stems.empty}.types.ts`,
      'plugboard-mysql-runtime.ts',
      'plugboard.schema.json',
    ].sort());
    for (const file of written.written) {
      const header = parseHeader(await fs.readFile(file, 'utf8'));
      assert.equal(header?.fingerprint, result.fingerprint, `header of ${file}`);
    }
    const again = await writeGeneratedFiles(gen, (await generate(model, options())).files);
    assert.deepEqual([again.written.length, again.unchanged.length], [0, 8], 'regenerating an unchanged schema changes nothing on disk');
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

  it('the generated files compile with tsc --strict and the stricter checks', async () => {
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
    });
  }
});

function pick(row: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, row[k]]));
}

function show(value: unknown): string {
  return Buffer.isBuffer(value) ? `Buffer(${value.length})` : value instanceof Date ? `Date(${value.toISOString()})` : `${typeof value} ${JSON.stringify(value)}`;
}
