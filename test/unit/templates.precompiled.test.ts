/**
 * Issue 14: the bundle runs the built-in templates precompiled at build time (dist/templates-precompiled.js,
 * written by scripts/precompile-templates.js). Every template, rendered over rich models (hostile text in
 * every string of a relational and a REST model, a document model with nested and odd fields), must give
 * the same bytes precompiled as compiled at run time; and a stale or foreign precompiled module is ignored.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BACKENDS } from '../../src/backends';
import { generate } from '../../src/core/codegen/generate';
import { builtinTemplatesDir, COMPILE_OPTIONS, usePrecompiledTemplates, type Precompiled } from '../../src/core/codegen/templates';
import type { SchemaModel } from '../../src/core/model';
import { documentModel } from '../support/documentModel';
import { codegenFor } from '../support/host';
import { AUTH_VARIANTS, hostileRelationalModel, hostileRestModel, hostileText, HOSTILE_SEQUENCES } from '../support/hostileModel';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** What esbuild.js writes, built into a temporary folder and loaded. */
async function buildPrecompiled(): Promise<Precompiled> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'plugboard-precompiled-'));
  try {
    const file = path.join(dir, 'templates-precompiled.js');
    const { precompileTemplates } = require(path.join(ROOT, 'scripts', 'precompile-templates.js')) as { precompileTemplates(dir: string, out: string): void };
    precompileTemplates(builtinTemplatesDir(), file);
    return require(file) as Precompiled;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Every backend's every target over the models it serves. */
function cases(): { label: string; kind: string; model: SchemaModel; targets: string[] }[] {
  const text = hostileText(HOSTILE_SEQUENCES[HOSTILE_SEQUENCES.length - 1]!);
  const models: Record<string, SchemaModel[]> = {
    postgres: [hostileRelationalModel(text)],
    mysql: [{ ...hostileRelationalModel(text), source: { ...hostileRelationalModel(text).source, kind: 'mysql' } }],
    supabase: [{ ...hostileRelationalModel(text), source: { ...hostileRelationalModel(text).source, kind: 'supabase' } }],
    mongodb: [documentModel()],
    firestore: [{ ...documentModel(), source: { ...documentModel().source, kind: 'firestore' } }],
    http: AUTH_VARIANTS.map((v) => hostileRestModel(text, v)),
  };
  // webhook-verify applies to definitions that sign webhooks or send an API key (as in hostile.codegen.test).
  const applies = (kind: string, i: number, target: string) =>
    kind !== 'http' || target !== 'webhook-verify' || AUTH_VARIANTS[i] === 'webhook' || AUTH_VARIANTS[i]!.startsWith('api_key');
  return BACKENDS.flatMap((b) =>
    (models[b.kind] ?? []).map((model, i) => ({ label: `${b.kind} #${i + 1}`, kind: b.kind, model, targets: b.targets.map((t) => t.id).filter((t) => applies(b.kind, i, t)) })),
  );
}

async function renderAll(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const c of cases()) {
    const result = await generate(c.model, codegenFor(c.kind, { profileName: 'bench', targets: c.targets }));
    for (const f of result.files) out.set(`${c.label}: ${f.path}`, f.content);
  }
  return out;
}

describe('precompiled built-in templates', function () {
  this.timeout(120_000);
  after(() => usePrecompiledTemplates(undefined));

  it('render every template byte for byte as the runtime compiler does', async () => {
    const precompiled = await buildPrecompiled();
    const names = (await fs.readdir(builtinTemplatesDir())).filter((f) => f.endsWith('.hbs')).map((f) => f.slice(0, -4)).sort();
    assert.deepEqual(Object.keys(precompiled.templates).sort(), names, 'one entry per template');
    assert.deepEqual(precompiled.options, COMPILE_OPTIONS, 'compiled with the options the runtime uses');

    usePrecompiledTemplates(undefined);
    const compiled = await renderAll();
    const used = new Set<string>();
    const templates = new Proxy(precompiled.templates, {
      get: (t, key) => {
        if (typeof key === 'string') used.add(key);
        return Reflect.get(t, key) as unknown;
      },
    });
    usePrecompiledTemplates({ ...precompiled, templates });
    const fromSpecs = await renderAll();

    assert.deepEqual([...used].sort(), names, 'every template was rendered precompiled');
    assert.deepEqual([...fromSpecs.keys()], [...compiled.keys()]);
    for (const [key, content] of compiled) assert.equal(fromSpecs.get(key), content, `${key} differs`);
    assert.ok(compiled.size > 40, `${compiled.size} files compared`);
  });

  it('ignores an entry whose template changed after the build, and a module compiled with other options', async () => {
    const precompiled = await buildPrecompiled();
    const stale = Object.fromEntries(Object.entries(precompiled.templates).map(([k, v]) => [k, { ...v, spec: { ...v.spec, main: () => 'STALE' } }]));
    const run = async () => (await generate(hostileRelationalModel(hostileText('x')), codegenFor('postgres', { profileName: 'p', targets: ['ts-types'] }))).files;

    usePrecompiledTemplates({ options: precompiled.options, templates: Object.fromEntries(Object.entries(stale).map(([k, v]) => [k, { ...v, sha256: '0'.repeat(64) }])) });
    assert.ok((await run()).every((f) => !f.content.includes('STALE')), 'a changed template is compiled from its file');

    usePrecompiledTemplates({ options: { noEscape: false }, templates: stale });
    assert.ok((await run()).every((f) => !f.content.includes('STALE')), 'a module compiled with other options is not used');

    usePrecompiledTemplates({ options: precompiled.options, templates: stale });
    await assert.rejects(run(), /does not start with/, 'the seam itself works: a matching entry is used');
    usePrecompiledTemplates(undefined);
  });
});
