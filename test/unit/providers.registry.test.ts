import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isPlugboardError } from '../../src/core/errors';
import { ProviderRegistry, WORKSPACE_PROVIDERS_DIR } from '../../src/core/registry';
import { assertNoSecrets, assertTreeClean, errorText, REPO } from '../support/httpSecrets';

const GOOD = path.join(REPO, 'test', 'fixtures', 'providers', 'good');
const BAD = path.join(REPO, 'test', 'fixtures', 'providers', 'bad');

async function rejects(p: Promise<unknown>, pattern: RegExp): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(isPlugboardError(err), String(err));
    assert.match(err.message, pattern);
    assertNoSecrets(errorText(err), 'a registry error');
    return err.message;
  }
  assert.fail(`expected a rejection matching ${pattern}`);
}

describe('providers: registry', () => {
  let root: string;
  let workspace: string;
  let user: string;
  let registry: ProviderRegistry;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'plugboard-providers-'));
    workspace = path.join(root, 'ws');
    user = path.join(root, 'user');
    await fs.mkdir(path.join(workspace, WORKSPACE_PROVIDERS_DIR), { recursive: true });
    registry = new ProviderRegistry({ workspaceRoot: workspace, userDir: user });
  });
  afterEach(async () => {
    try {
      await assertTreeClean(root);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });

  const text = (name: string) => fs.readFile(path.join(GOOD, name), 'utf8');
  const bump = (json: string, version: string, patch: Record<string, unknown> = {}) => JSON.stringify({ ...(JSON.parse(json) as object), version, ...patch }, null, 2);

  it('lists built-ins plus workspace and user definitions; the workspace wins on an id', async () => {
    await fs.mkdir(user, { recursive: true });
    await fs.writeFile(path.join(user, 'acme.json'), bump(await text('acme.json'), '1.0.0', { name: 'Acme (user copy)' }));
    await fs.writeFile(path.join(workspace, WORKSPACE_PROVIDERS_DIR, 'acme.json'), await text('acme.json'));
    await fs.writeFile(path.join(user, 'acme-hooks.json'), await text('acme-hooks.json'));
    await registry.load();
    assert.deepEqual(registry.problems(), []);
    assert.equal(registry.get('acme')?.source, 'workspace');
    assert.equal(registry.get('acme')?.definition.name, 'Acme API');
    assert.equal(registry.get('acme-hooks')?.source, 'user');
    assert.equal(registry.list().length, 9);
  });

  it('searches by category, auth type and text (all words, any field)', async () => {
    await registry.import(await text('acme.json'), { target: 'workspace' });
    await registry.import(bump(await text('acme-oauth.json'), '1.0.0', { category: 'identity' }), { target: 'user' });
    assert.deepEqual(registry.categories(), ['custom', 'identity']);
    assert.deepEqual(registry.list({ category: 'identity' }).map((e) => e.definition.id), ['acme-oauth']);
    assert.deepEqual(registry.list({ text: 'acme api' }).map((e) => e.definition.id), ['acme']);
    assert.deepEqual(registry.list({ text: 'OAUTH' }).map((e) => e.definition.id).sort(), ['acme-oauth', 'oauth2-authorization-code', 'oauth2-client-credentials']);
    assert.deepEqual(registry.list({ authType: 'webhook' }).map((e) => e.definition.id), ['webhook-hmac']);
  });

  it('reports each malformed file with its path and field, keeps loading the rest, and never overwrites it', async () => {
    const dir = path.join(workspace, WORKSPACE_PROVIDERS_DIR);
    const bad = (await fs.readdir(BAD)).filter((f) => f.endsWith('.json'));
    for (const f of bad) await fs.copyFile(path.join(BAD, f), path.join(dir, f));
    await fs.writeFile(path.join(dir, 'acme.json'), '{ "id": "acme", "name": ');
    await fs.writeFile(path.join(dir, 'fine.json'), bump(await text('acme-hooks.json'), '1.0.0', { id: 'fine' }));
    await registry.load();
    assert.equal(registry.problems().length, bad.length + 1);
    for (const p of registry.problems()) {
      assert.ok(p.error.message.startsWith(p.file), p.error.message);
      const field = /^\d+-(.+)\.json$/.exec(path.basename(p.file))?.[1];
      if (field) assert.ok(p.error.message.includes(field), p.error.message);
    }
    assert.ok(registry.get('fine'), 'a good file next to bad ones still loads');
    const before = await fs.readFile(path.join(dir, 'acme.json'), 'utf8');
    await rejects(registry.import(await text('acme.json'), { target: 'workspace' }), /acme\.json is malformed; it was not overwritten/);
    assert.equal(await fs.readFile(path.join(dir, 'acme.json'), 'utf8'), before);
    for (const f of bad) assert.equal(await fs.readFile(path.join(dir, f), 'utf8'), await fs.readFile(path.join(BAD, f), 'utf8'), `${f} was changed`);
    // The copies hold planted canaries by design; the after-each scan is for what Plugboard wrote.
    for (const f of bad) await fs.rm(path.join(dir, f));
  });

  it('imports: shows what it is, upgrades, refuses older or changed-same-version definitions unless forced', async () => {
    const v1 = await text('acme.json');
    const preview = registry.preview(v1, 'acme.json');
    assert.equal(preview.status, 'new');
    assert.ok(preview.description.some((l) => /API key in header X-API-Key/.test(l)), preview.description.join('\n'));
    const first = await registry.import(v1, { target: 'workspace' });
    assert.equal(first.file, path.join(workspace, WORKSPACE_PROVIDERS_DIR, 'acme.json'));
    assert.equal((await registry.import(v1, { target: 'workspace' })).status, 'same');
    assert.equal((await registry.import(bump(v1, '1.2.0'), { target: 'workspace' })).status, 'upgrade');
    await rejects(registry.import(bump(v1, '1.1.0'), { target: 'workspace' }), /acme 1\.1\.0 is older than the installed 1\.2\.0/);
    await rejects(registry.import(bump(v1, '1.2.0', { name: 'Acme renamed' }), { target: 'workspace' }), /same version as the installed one but different content/);
    assert.equal(registry.get('acme')?.definition.version, '1.2.0');
    const forced = await registry.import(bump(v1, '1.1.0'), { target: 'workspace', force: true });
    assert.equal(forced.status, 'downgrade');
    assert.equal(registry.get('acme')?.definition.version, '1.1.0');
    const files = await fs.readdir(path.join(workspace, WORKSPACE_PROVIDERS_DIR));
    assert.deepEqual(files, ['acme.json'], 'replacing rewrites the same file, atomically (no temp files left)');
  });

  it('refuses built-in ids and invalid text, storing nothing', async () => {
    await rejects(registry.import(JSON.stringify({ ...(JSON.parse(await text('acme.json')) as object), id: 'basic-auth' }), { target: 'user' }), /id: "basic-auth" is a built-in template id/);
    await rejects(registry.import(await fs.readFile(path.join(BAD, '21-auth.oauth2.clientSecret.json'), 'utf8'), { target: 'user', location: 'pasted.json' }), /pasted\.json: auth\.oauth2\.clientSecret looks like a secret/);
    await assert.rejects(fs.readdir(user), /ENOENT/);
  });

  it('exports exactly the definition, which never holds a secret', async () => {
    await registry.import(await text('acme-oauth.json'), { target: 'user' });
    const exported = registry.export('acme-oauth');
    assert.deepEqual(JSON.parse(exported), JSON.parse(await text('acme-oauth.json')));
    assertNoSecrets(exported, 'an export');
    const out = path.join(root, 'exported', 'acme-oauth.json');
    await registry.exportToFile('oauth2-client-credentials', out);
    const template = JSON.parse(await fs.readFile(out, 'utf8')) as { auth: { oauth2: Record<string, unknown> } };
    assert.equal(template.auth.oauth2.clientId, '{{clientId}}');
    assert.ok(!('clientSecret' in template.auth.oauth2));
    await registry.remove('acme-oauth');
    assert.equal(registry.get('acme-oauth'), undefined);
    await rejects(registry.remove('basic-auth'), /built in and cannot be removed/);
  });
});
