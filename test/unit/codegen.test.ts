/**
 * Codegen without a server: rendering both targets from a small model, user template overrides, broken
 * templates, and the writer's promises (atomic, all-or-nothing, never over a file it did not write).
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { generate, resolveTargets, SNAPSHOT_FILE } from '../../src/core/codegen/generate';
import { parseHeader } from '../../src/core/codegen/header';
import { readGeneratedHeaders } from '../../src/core/codegen/headerFiles';
import { writeGeneratedFiles } from '../../src/core/codegen/writer';
import { isPlugboardError, type PlugboardError } from '../../src/core/errors';
import { fingerprint } from '../../src/core/introspect/fingerprint';
import { SchemaModel } from '../../src/core/model';
import { CATALOG, codegenFor } from '../support/host';
import { sampleModel } from '../support/sampleModel';

const options = codegenFor('postgres', { profileName: 'unit', targets: ['ts-types', 'pg-crud'] });
const PG_OFFERS = CATALOG.get('postgres').targets;

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'plugboard-unit-'));
}

function isCode(code: string) {
  return (err: unknown) => isPlugboardError(err) && err.code === code;
}

/** Syntax errors of a TypeScript source (no type check: that is the integration suite's job). */
function syntaxErrors(file: string, text: string): string[] {
  const out = ts.transpileModule(text, { fileName: file, reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('codegen: rendering', () => {
  it('renders types, CRUD, the runtime and a snapshot; every file starts with the header', async () => {
    const model = sampleModel();
    const result = await generate(model, options);
    assert.deepEqual(result.files.map((f) => f.path), ['public.types.ts', 'crm.types.ts', 'plugboard-pg-runtime.ts', 'public.crud.ts', 'crm.crud.ts', SNAPSHOT_FILE]);
    assert.equal(result.fingerprint, fingerprint(model));
    for (const f of result.files) {
      const header = parseHeader(f.content);
      assert.deepEqual(header && { ...header, version: 'x' }, { tool: 'plugboard', version: 'x', profile: 'unit', target: f.target, fingerprint: result.fingerprint }, f.path);
      if (f.path.endsWith('.ts')) assert.deepEqual(syntaxErrors(f.path, f.content), [], `${f.path} is valid TypeScript`);
    }
  });

  it('is deterministic: the same model twice gives byte-identical files', async () => {
    const a = await generate(sampleModel(), options);
    const b = await generate(sampleModel(), options);
    assert.deepEqual(b.files, a.files);
  });

  it('the snapshot holds the normalised model and no server details', async () => {
    const { files } = await generate(sampleModel(), options);
    const snapshot = JSON.parse(files.find((f) => f.path === SNAPSHOT_FILE)!.content) as { model: unknown };
    const model = SchemaModel.parse(snapshot.model);
    assert.deepEqual(model.source, { kind: 'postgres' });
    assert.equal(fingerprint(model), fingerprint(sampleModel()));
  });

  it('types: enums as unions, views as Row only, awkward keys quoted', async () => {
    const { files } = await generate(sampleModel(), options);
    const types = files.find((f) => f.path === 'public.types.ts')!.content;
    assert.match(types, /export type OrderStatus =\n {2}\| "new"\n {2}\| "it's paid"\n {2}\| "a \\"quoted\\" one";/);
    assert.match(types, /export interface OrderTotalsRow \{/);
    assert.doesNotMatch(types, /OrderTotalsInsert/);
    assert.match(types, /"__proto__"\?: string \| null;/);
    assert.match(types, /export interface OrderLinesKey \{\n {2}order_id: string;\n {2}line: number;\n\}/);
    assert.match(types, /ship_to: Address \| null;/);
    assert.match(types, /"audit log": \{ Row: AuditLogRow; Insert: AuditLogInsert; Update: AuditLogUpdate \};/);
  });

  it('CRUD: tables with a key get defineTable, views and keyless tables defineView', async () => {
    const { files } = await generate(sampleModel(), options);
    const crud = files.find((f) => f.path === 'public.crud.ts')!.content;
    assert.match(crud, /export const orders = defineTable</);
    assert.match(crud, /export const orderLines = defineTable</);
    assert.match(crud, /export const orderTotals = defineView</);
    assert.match(crud, /\/\*\* table audit log \(read-only: it has no primary key\) \*\/\nexport const auditLog = defineView<T\.AuditLogRow>/);
    assert.match(crud, /relation: "\\"public\\".\\"orders\\"",/);
    assert.match(crud, /key: \["order_id","line"\],/);
    assert.match(crud, /^ {4}\["audit log"\]: auditLog\.bind\(db\),$/m, 'createClient keys are computed, so even __proto__ would be an own key');
  });

  it('int8/numeric/date typing follows the options', async () => {
    const { files } = await generate(sampleModel(), { ...options, int8As: 'bigint', numericAs: 'number', dateAs: 'string' });
    const types = files.find((f) => f.path === 'public.types.ts')!.content;
    assert.match(types, /id: bigint;/);
    assert.match(types, /total: number \| null;/);
    assert.match(types, /at: string;/);
  });

  it('pg-crud pulls in ts-types; unknown targets are INVALID_CONFIG', () => {
    assert.deepEqual(resolveTargets(PG_OFFERS, ['pg-crud']).map((t) => t.id), ['ts-types', 'pg-crud']);
    assert.throws(() => resolveTargets(PG_OFFERS, ['cobol']), isCode('INVALID_CONFIG'));
    assert.throws(() => resolveTargets(PG_OFFERS, []), isCode('INVALID_CONFIG'));
  });
});

describe('codegen: user templates', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a template in the user folder overrides the built-in one; the others stay built-in', async () => {
    await fs.writeFile(path.join(dir, 'ts-types.hbs'), '{{header}}\n// custom types for {{str namespace}}: {{#each entities}}{{key sqlName}} {{/each}}\nexport {};\n');
    const { files } = await generate(sampleModel(), { ...options, templatesDir: dir });
    const types = files.find((f) => f.path === 'public.types.ts')!.content;
    assert.match(types, /^\/\/ custom types for "public": orders order_lines order_totals "audit log" $/m);
    assert.match(files.find((f) => f.path === 'public.crud.ts')!.content, /defineTable/, 'pg-crud still from the built-in template');
  });

  it('a template without {{header}} → INVALID_CONFIG (the file could never be updated)', async () => {
    await fs.writeFile(path.join(dir, 'ts-types.hbs'), '// my own header\n{{header}}\n');
    await assert.rejects(generate(sampleModel(), { ...options, templatesDir: dir }), (err: PlugboardError) => {
      assert.equal(err.code, 'INVALID_CONFIG');
      assert.match(err.message, /does not start with \{\{header\}\}/);
      assert.match(err.hint, /\{\{header\}\}/);
      return true;
    });
  });

  it('a template with a syntax error → INVALID_CONFIG naming the file', async () => {
    await fs.writeFile(path.join(dir, 'pg-crud.hbs'), '{{header}}\n{{#each entities}}\n');
    await assert.rejects(generate(sampleModel(), { ...options, templatesDir: dir }), (err: PlugboardError) => {
      assert.equal(err.code, 'INVALID_CONFIG');
      assert.match(err.message, /pg-crud\.hbs does not compile/);
      assert.doesNotMatch(err.message, /[\r\n]/);
      return true;
    });
  });

  it('a template using a name the view does not have → INVALID_CONFIG (strict mode)', async () => {
    await fs.writeFile(path.join(dir, 'ts-types.hbs'), '{{header}}\n{{nonsense.deeper}}\n');
    await assert.rejects(generate(sampleModel(), { ...options, templatesDir: dir }), (err: PlugboardError) => {
      assert.equal(err.code, 'INVALID_CONFIG');
      assert.match(err.message, /ts-types\.hbs failed/);
      return true;
    });
  });

  it('an unreadable templates folder entry → INVALID_CONFIG', async () => {
    await fs.mkdir(path.join(dir, 'ts-types.hbs'));
    await assert.rejects(generate(sampleModel(), { ...options, templatesDir: dir }), isCode('INVALID_CONFIG'));
  });
});

describe('codegen: writer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function listAll(root: string): Promise<string[]> {
    const out: string[] = [];
    for (const e of await fs.readdir(root, { withFileTypes: true, recursive: true })) {
      if (e.isFile()) out.push(path.relative(root, path.join(e.parentPath ?? (e as { path?: string }).path ?? root, e.name)));
    }
    return out.sort();
  }

  it('writes every file atomically and leaves no temp files', async () => {
    const { files } = await generate(sampleModel(), options);
    const out = path.join(dir, 'nested', 'out');
    const result = await writeGeneratedFiles(out, files);
    assert.equal(result.written.length, files.length);
    assert.deepEqual(await listAll(out), files.map((f) => f.path).sort());
    for (const f of files) assert.equal(await fs.readFile(path.join(out, f.path), 'utf8'), f.content);
    const headers = await readGeneratedHeaders(out);
    assert.equal(headers.length, files.length);
  });

  it('reports unchanged files and rewrites changed ones that carry our header', async () => {
    const { files } = await generate(sampleModel(), options);
    await writeGeneratedFiles(dir, files);
    const same = await writeGeneratedFiles(dir, files);
    assert.deepEqual([same.written.length, same.unchanged.length], [0, files.length]);
    const changedModel = sampleModel();
    changedModel.namespaces[0]!.entities[0]!.fields[4]!.nullable = false;
    const changed = await writeGeneratedFiles(dir, (await generate(changedModel, options)).files);
    assert.ok(changed.written.some((f) => f.endsWith('public.types.ts')));
    assert.ok(changed.written.length < files.length + 1);
    assert.deepEqual(await listAll(dir), files.map((f) => f.path).sort(), 'no temp files left behind');
  });

  it('refuses to overwrite a file without our header, and then writes nothing at all', async () => {
    const { files } = await generate(sampleModel(), options);
    const mine = 'export const handWritten = true;\n';
    // The foreign file is the last one the writer would get to: nothing before it may be written either.
    await fs.writeFile(path.join(dir, 'crm.crud.ts'), mine);
    await assert.rejects(writeGeneratedFiles(dir, files), (err: PlugboardError) => {
      assert.equal(err.code, 'FILE_CONFLICT');
      assert.match(err.message, /crm\.crud\.ts exists and was not generated by Plugboard; nothing was written\./);
      return true;
    });
    assert.deepEqual(await listAll(dir), ['crm.crud.ts']);
    assert.equal(await fs.readFile(path.join(dir, 'crm.crud.ts'), 'utf8'), mine);
  });

  it('refuses paths that leave the output folder', async () => {
    await assert.rejects(writeGeneratedFiles(path.join(dir, 'out'), [{ path: '../escape.ts', content: '', target: 'x' }]), isCode('INTERNAL'));
    assert.deepEqual(await listAll(dir), []);
  });
});
