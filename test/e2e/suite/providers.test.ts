// REST connections in the editor: a provider template instantiated through the Add REST Connection command,
// tested against a local API that demands an API key, its key kept in SecretStorage only, then exported,
// checked and removed. The API runs inside the extension host on a loopback port.
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import * as vscode from 'vscode';
import type { PlugboardApi } from '../../../src/extension';

const KEY = `key-${randomBytes(12).toString('hex')}`;

describe('Plugboard: REST providers in the editor', function () {
  this.timeout(60_000);
  let api: PlugboardApi;
  let server: http.Server;
  let baseUrl = '';
  const workspace = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;

  before(async () => {
    api = await vscode.extensions.getExtension<PlugboardApi>('plugboard.plugboard')!.activate();
    server = http.createServer((req, res) => {
      const ok = req.headers['x-api-key'] === KEY;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? { status: 'ok' } : { error: 'bad key' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const variables = () => ({ baseUrl, headerName: 'X-API-Key', testPath: '/health' });

  it('discovers the built-in templates', async () => {
    const found = await vscode.commands.executeCommand<{ id: string }[]>('plugboard.discoverProviders', {});
    for (const id of ['rest-api-bearer', 'rest-api-key-header', 'rest-api-key-query', 'basic-auth', 'oauth2-authorization-code', 'oauth2-client-credentials', 'webhook-hmac']) {
      assert.ok(found.some((p) => p.id === id), `${id} missing from ${JSON.stringify(found.map((p) => p.id))}`);
    }
  });

  it('refuses a wrong API key with AUTHENTICATION_FAILED and saves nothing', async () => {
    await assert.rejects(
      async () => vscode.commands.executeCommand('plugboard.addRestConnection', { provider: 'rest-api-key-header', name: 'Bad key', variables: variables(), secrets: { apiKey: 'wrong-key-value' } }),
      (err: Error & { code?: string }) => err.code === 'AUTHENTICATION_FAILED' || /AUTHENTICATION_FAILED|401/.test(err.message),
    );
    const profiles = await api.context.profiles.list();
    assert.ok(!profiles.some((p) => p.name === 'Bad key'));
  });

  it('adds a REST connection whose key lives only in SecretStorage, and checks its health', async () => {
    const saved = await vscode.commands.executeCommand<{ id: string; kind: string }>('plugboard.addRestConnection', {
      provider: 'rest-api-key-header', name: 'E2E API', variables: variables(), secrets: { apiKey: KEY },
    });
    assert.strictEqual(saved.kind, 'http');
    assert.strictEqual(await api.hasSecret(saved.id), true);
    const shared = await fs.readFile(path.join(workspace(), '.plugboard', 'connections.json'), 'utf8');
    assert.ok(shared.includes('E2E API') && !shared.includes(KEY), 'the API key reached connections.json');
    const report = await vscode.commands.executeCommand<{ status: string }>('plugboard.checkHealth', saved.id);
    assert.strictEqual(report.status, 'ok');
    const row = (await api.tree.getChildren()).find((n) => n.type === 'connection' && n.profile.id === saved.id)!;
    assert.match(String((api.tree.getTreeItem(row)).contextValue), /^connection (connected|disconnected)\b.*\bapi_key\b/);

    const exported = path.join(workspace(), 'exported-provider.json');
    await vscode.commands.executeCommand('plugboard.exportProvider', { id: 'rest-api-key-header', file: exported });
    assert.ok(!(await fs.readFile(exported, 'utf8')).includes(KEY));

    await vscode.commands.executeCommand('plugboard.removeConnection', saved.id, { confirm: false });
    assert.strictEqual(await api.hasSecret(saved.id), false);
  });
});
