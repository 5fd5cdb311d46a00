/**
 * supabase-types against `supabase gen types typescript` (postgres-meta's typegen) on the same databases:
 * for every schema the same names, and every table, view, function, enum and composite type assignable both
 * ways (a file that compiles under tsc --strict only then); an app written against postgres-meta's output
 * compiles unchanged against Plugboard's; supabase-crud compiles beside it.
 */
import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { generate } from '../../src/core/codegen/generate';
import { writeGeneratedFiles } from '../../src/core/codegen/writer';
import type { SchemaModel } from '../../src/core/model';
import { codegenFor } from '../support/host';
import { introspectPg, scratchProfile } from '../support/pgBackend';
import { createScratchDatabase, requirePostgres } from '../support/postgres';
import { postgresMetaTypegen } from '../support/supabase';
import { introspectSupabase, startSupabaseProject, type SupabaseProject } from '../support/supabaseProject';
import { assignabilityCheck, checkCount, type KnownDifference } from '../support/supabaseTypeCheck';
import { compileFolder, makeWorkDir, REPO } from '../support/workdir';

const fixture = (name: string) => readFileSync(path.join(REPO, 'test', 'fixtures', name), 'utf8');

interface Case {
  name: string;
  sql: string;
  schemas: string[];
  known?: KnownDifference[];
  /** Also compile test/fixtures/supabase-app.ts against both outputs. */
  app?: boolean;
}

const CASES: Case[] = [
  { name: 'supabase-typegen.sql', sql: fixture('supabase-typegen.sql'), schemas: ['public', 'extra', 'empty_schema'], app: true },
  {
    name: 'hostile.sql',
    sql: fixture('hostile.sql'),
    schemas: ['public', 'Hostile "Schema" café'],
    // Partitions are reached through their partitioned table; Plugboard does not list them as tables.
    known: [{ schema: 'public', section: 'Tables', onlyTheirs: ['events_2024', 'events_2025'] }],
  },
  { name: 'pg-functions.sql', sql: fixture('pg-functions.sql'), schemas: ['app', 'Other "fn" schema'] },
];

async function generateInto(dir: string, model: SchemaModel, kind: string, targets: string[]): Promise<string[]> {
  const result = await generate(model, codegenFor(kind, { profileName: 'supabase types test', targets }));
  await writeGeneratedFiles(dir, result.files);
  return result.files.map((f) => f.path);
}

async function compiles(dir: string): Promise<void> {
  const compiled = await compileFolder(dir, { emit: false, types: [] });
  assert.equal(compiled.code, 0, `tsc --strict failed:\n${compiled.stdout}${compiled.stderr}`);
}

describe('supabase-types: the Database type of `supabase gen types`', function () {
  this.timeout(180_000);

  for (const c of CASES) {
    describe(`on ${c.name}`, () => {
      let project: SupabaseProject | undefined;
      let work: Awaited<ReturnType<typeof makeWorkDir>> | undefined;
      let model: SchemaModel | undefined;
      let theirs = '';

      before(async () => {
        work = await makeWorkDir('supabase-types');
        project = await startSupabaseProject(c.sql, c.schemas);
        [model, theirs] = await Promise.all([introspectSupabase(project), postgresMetaTypegen(project.db.dbUrl, c.schemas)]);
      });
      after(async () => {
        await Promise.allSettled([project?.stop(), work?.remove()]);
      });

      it('every table, view, function, enum and composite is assignable both ways, and the names match', async () => {
        const dir = path.join(work!.dir, 'compare');
        const files = await generateInto(dir, model!, 'supabase', ['supabase-types']);
        assert.ok(files.includes('database.types.ts'), files.join(', '));
        await fs.writeFile(path.join(dir, 'theirs.ts'), theirs);
        const check = assignabilityCheck(model!, c.known);
        assert.ok(checkCount(check) > 10, 'the comparison compares something');
        await fs.writeFile(path.join(dir, 'check.ts'), check);
        await compiles(dir).catch((err: Error) => {
          // Name the checks that failed: tsc reports a line of check.ts, each line is one comparison.
          const lines = check.split('\n');
          const failed = [...err.message.matchAll(/check\.ts\((\d+),/g)].map((m) => lines[Number(m[1]) - 1]?.replace(/^.*\/\/ /, ''));
          throw new Error(`${err.message}\nfailed comparisons: ${failed.join('; ')}`);
        });
      });

      it('supabase-crud compiles under tsc --strict beside it', async () => {
        const dir = path.join(work!.dir, 'crud');
        const files = await generateInto(dir, model!, 'supabase', ['supabase-crud']);
        assert.deepEqual(files.filter((f) => f.endsWith('.ts')).sort(), ['database.types.ts', 'plugboard-supabase-runtime.ts', 'supabase.crud.ts']);
        await compiles(dir);
      });

      if (c.app) {
        it('an app written against postgres-meta output compiles unchanged against Plugboard output', async () => {
          const app = fixture('supabase-app.ts');
          const againstTheirs = path.join(work!.dir, 'app-theirs');
          await fs.mkdir(againstTheirs, { recursive: true });
          await fs.writeFile(path.join(againstTheirs, 'database.types.ts'), theirs);
          await fs.writeFile(path.join(againstTheirs, 'app.ts'), app);
          await compiles(againstTheirs);

          const againstOurs = path.join(work!.dir, 'app-ours');
          await generateInto(againstOurs, model!, 'supabase', ['supabase-types']);
          await fs.writeFile(path.join(againstOurs, 'app.ts'), app);
          await compiles(againstOurs);
        });
      }
    });
  }

  describe('from a plain PostgreSQL connection', () => {
    const SQL = `CREATE TYPE mood AS ENUM ('up', 'down');
      CREATE TABLE people (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, mood mood, doc jsonb NOT NULL DEFAULT '{}');
      CREATE TABLE pets (id serial PRIMARY KEY, owner bigint REFERENCES people (id), tags text[]);
      CREATE FUNCTION pets_of(person bigint) RETURNS SETOF pets LANGUAGE sql STABLE AS 'SELECT * FROM pets WHERE owner = person';`;
    let db: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
    let work: Awaited<ReturnType<typeof makeWorkDir>> | undefined;

    before(async () => {
      await requirePostgres();
      [db, work] = await Promise.all([createScratchDatabase('sbtypes'), makeWorkDir('supabase-types-pg')]);
      await db.exec(SQL);
    });
    after(async () => {
      await Promise.allSettled([db?.drop(), work?.remove()]);
    });

    it('the PostgreSQL backend offers supabase-types, and without views it matches postgres-meta exactly', async () => {
      const { model } = await introspectPg(scratchProfile(db!), db!.secret, { include: ['public'] });
      await generateInto(work!.dir, model, 'postgres', ['supabase-types']);
      await fs.writeFile(path.join(work!.dir, 'theirs.ts'), await postgresMetaTypegen(db!.url, ['public']));
      await fs.writeFile(path.join(work!.dir, 'check.ts'), assignabilityCheck(model));
      await compiles(work!.dir);
    });
  });
});
