/**
 * Overrides on a real schema: the hostile schema generated with renames, a jsonb column typed by a user's
 * own module, a skipped table and a view column marked not null, plus the zod target. Everything compiles
 * under tsc --strict, z.infer of every zod schema equals its ts-types type, and the pg-crud client uses the
 * renamed properties against the local server while its SQL keeps the database's names.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'pg';
import { generate } from '../../src/core/codegen/generate';
import { parseOverrides } from '../../src/core/codegen/overrides/file';
import { writeGeneratedFiles } from '../../src/core/codegen/writer';
import { codegenFor } from '../support/host';
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from '../support/postgres';
import { HOSTILE_SQL, introspectOnce } from '../support/sessions';
import { compileFolder, makeWorkDir } from '../support/workdir';
import { writeWithZodChecks } from '../support/zodCheck';

const OVERRIDES = {
  namespaces: {
    public: {
      simple: { name: 'Simple Thing', fields: { name: { name: 'title' }, created_at: { name: 'createdAt' } } },
      kitchen_sink: { fields: { doc: { tsType: 'Doc', import: { name: 'Doc', from: './user-types' } }, docs: { tsType: 'Doc[]', import: { name: 'Doc', from: './user-types' } } } },
      select: { skip: true },
      active_users: { fields: { name: { nullable: true } } },
    },
  },
};

const USER_TYPES = 'export interface Doc { kind: "a" | "b"; n?: number }\n';

const DRIVER = `import * as assert from 'node:assert/strict';
import type { Pool } from 'pg';
import * as pub from './public.crud';
import type * as T from './public.types';
import { KitchenSinkInsertSchema } from './public.zod';
import type { Doc } from './user-types';

export async function run(pool: Pool): Promise<void> {
  const db = pub.createClient(pool);
  const a = await db['Simple Thing'].insert({ title: 'alpha' });
  assert.equal(a.title, 'alpha');
  assert.ok(a.createdAt instanceof Date);
  assert.deepEqual(await db['Simple Thing'].get({ id: a.id }), a);
  await db['Simple Thing'].insert({ title: 'beta', score: '1' });
  const listed = await db['Simple Thing'].list({ where: { score: '1' }, orderBy: { column: 'title', direction: 'desc' } });
  assert.deepEqual(listed.map((r) => r.title), ['beta']);
  const updated = await db['Simple Thing'].update({ id: a.id }, { title: 'gamma' });
  assert.equal(updated?.title, 'gamma');
  const raw = await pool.query('SELECT name FROM public.simple WHERE id = $1', [a.id]);
  assert.equal(raw.rows[0].name, 'gamma', 'the database column keeps its name');
  const doc: Doc = { kind: 'a', n: 1 };
  const sink = await db.kitchen_sink.insert({ mood: "it's ok", email: 'a@b', doc, docs: [doc, { kind: 'b' }] });
  const back: T.KitchenSinkRow['doc'] = sink.doc;
  assert.deepEqual(back, doc);
  assert.ok(KitchenSinkInsertSchema.safeParse({ mood: "it's ok", email: 'a@b', doc }).success);
  assert.equal(KitchenSinkInsertSchema.safeParse({ mood: 'nope' }).success, false);
  assert.equal(await db['Simple Thing'].count({ title: 'gamma' }), 1);
  await db['Simple Thing'].delete({ id: a.id });
  // @ts-expect-error the database name is not the property name any more
  void db['Simple Thing'].insert({ name: 'x' });
  // @ts-expect-error a skipped table has no accessor
  void db.select;
}
`;

describe('overrides on the hostile schema (local PostgreSQL)', function () {
  this.timeout(120_000);
  let scratch: ScratchDatabase | undefined;
  let work: Awaited<ReturnType<typeof makeWorkDir>> | undefined;

  before(async () => {
    await requirePostgres();
    scratch = await createScratchDatabase('overrides');
    await scratch.exec(HOSTILE_SQL);
    work = await makeWorkDir('overrides');
  });
  after(async () => {
    await Promise.allSettled([scratch?.drop(), work?.remove()]);
  });

  it('generates, compiles strictly with user types, agrees with zod, and round-trips renamed properties', async () => {
    const { model } = await introspectOnce(scratch!.profile, scratch!.secret);
    const overrides = parseOverrides(JSON.stringify(OVERRIDES), '/ws/.plugboard/overrides.json');
    const result = await generate(model, codegenFor('postgres', { profileName: 'o', targets: ['pg-crud', 'zod'], overrides }));
    assert.deepEqual(result.warnings, []);
    const types = result.files.find((f) => f.path === 'public.types.ts')!.content;
    assert.match(types, /^import type \{ Doc \} from "\.\/user-types";$/m);
    assert.match(types, /\n {2}doc: Doc \| null;\n/);
    assert.match(types, /export interface SimpleThingRow \{/);
    assert.match(types, /\/\*\* text; nullable: set in the overrides file \*\/\n {2}name: string \| null;/, 'marked nullable again by the override');
    assert.doesNotMatch(types, /SelectRow/);

    const gen = path.join(work!.dir, 'gen');
    await writeGeneratedFiles(gen, result.files);
    await fs.writeFile(path.join(gen, 'user-types.ts'), USER_TYPES);
    await fs.writeFile(path.join(gen, 'driver.ts'), DRIVER);
    const { checks } = await writeWithZodChecks(gen, result.files.filter((f) => f.path.endsWith('.zod.ts')));
    assert.ok(checks > 40, `${checks} zod schemas checked`);
    const compiled = await compileFolder(gen, { emit: true, types: ['node'] });
    assert.equal(compiled.code, 0, `tsc --strict failed:\n${compiled.stdout}${compiled.stderr}`);

    const o = scratch!.profile.options as { host: string; port: number; database: string; user: string };
    const pool = new Pool({ host: o.host, port: o.port, database: o.database, user: o.user, password: scratch!.secret.password, max: 2 });
    pool.on('error', () => undefined);
    try {
      const driver = require(path.join(gen, 'js', 'driver.js')) as { run(pool: Pool): Promise<void> };
      await driver.run(pool);
    } finally {
      await pool.end();
    }
  });
});
