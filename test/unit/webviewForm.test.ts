/**
 * The connection form's rules (src/vscode/webview/formModel.ts), apart from the editor: the fields a backend
 * module declares, `when`, `default`, `validate`, numbers, secrets and unique names — checked on the real
 * PostgreSQL module and on a module with conditional fields.
 */
import * as assert from 'node:assert/strict';
import { z } from 'zod';
import type { BackendModule } from '../../src/core/backend';
import { postgresBackend } from '../../src/backends/postgres';
import { checkForm, fieldView, initialValues, secretStates, typedValues } from '../../src/vscode/webview/formModel';
import { FormFromWebview, FormToWebview } from '../../src/vscode/webview/protocol/form';
import { PreviewFromWebview, PreviewToWebview } from '../../src/vscode/webview/protocol/preview';

const pg = postgresBackend as unknown as BackendModule;
const none = { otherNames: [], pending: {} };

type Values = Readonly<Record<string, unknown>>;

/** A backend whose form has a choice that hides or shows other fields, like Firestore's and MySQL's. */
const conditional = {
  ...pg,
  kind: 'cond',
  label: 'Conditional',
  options: z.object({ mode: z.enum(['local', 'cloud']), address: z.string().optional(), tls: z.boolean().optional() }).strict(),
  describe: (o: { mode: string }) => `${o.mode} thing`,
  form: [
    { key: 'mode', label: 'Mode', input: 'choice', default: 'local', choices: [{ value: 'local' }, { value: 'cloud' }] },
    { key: 'address', label: 'Address', input: 'text', when: (v: Values) => v.mode === 'local', validate: (v: string) => (v.includes(':') ? undefined : 'host:port, please') },
    { key: 'key', label: 'Key file', input: 'file', secret: true, when: (v: Values) => v.mode === 'cloud' },
    { key: 'tls', label: 'TLS', input: 'boolean', default: true },
  ],
} as unknown as BackendModule;

describe('connection form: the rules behind the webview', () => {
  it('starts from the defaults, or from the profile being edited, and never from a secret', () => {
    assert.deepEqual(initialValues(pg), { host: 'localhost', port: '5432', database: 'postgres', user: 'postgres', sslmode: 'prefer' });
    const edited = initialValues(pg, { host: 'db', port: 6543, sslmode: 'require', password: 'nope' });
    assert.equal(edited.port, '6543');
    assert.equal(edited.password, undefined);
    assert.deepEqual(initialValues(conditional), { mode: 'local', tls: true });
  });

  it('describes the fields without their functions, secrets as secrets', () => {
    const views = pg.form.map(fieldView);
    assert.deepEqual(views.map((f) => f.key), ['host', 'port', 'database', 'user', 'password', 'sslmode']);
    assert.equal(views.find((f) => f.key === 'password')?.secret, true);
    assert.equal(views.find((f) => f.key === 'sslmode')?.choices?.[2]?.value, 'prefer');
    assert.ok(views.every((f) => !('validate' in f) && !('when' in f)));
  });

  it('turns numbers into numbers and drops empty text', () => {
    assert.deepEqual(typedValues(pg, { host: ' db ', port: '5433', database: '', password: ' p w ' }), { host: 'db', port: 5433, password: ' p w ' });
  });

  it('reports each problem on its field: required, whole numbers, the field\'s own validate, the schema', () => {
    const checked = checkForm(pg, { ...none, raw: { host: '', port: '70000', database: 'x', user: 'u', sslmode: 'prefer' }, name: '' });
    assert.equal(checked.valid, false);
    assert.equal(checked.errors.host, 'Host is required');
    assert.equal(checked.errors.port, 'A port is a number from 1 to 65535');
    assert.equal(checkForm(pg, { ...none, raw: { host: 'h', port: '12a', database: 'd', user: 'u' }, name: '' }).errors.port, 'Port is a whole number');
    assert.match(checkForm(pg, { ...none, raw: { host: 'h', port: '5432', database: 'd', user: 'u', sslmode: 'sometimes' }, name: '' }).errors.sslmode ?? '', /one of/);
  });

  it('suggests a name from the settings and refuses one that is taken', () => {
    const raw = initialValues(pg);
    const ok = checkForm(pg, { ...none, raw, name: '' });
    assert.equal(ok.valid, true);
    assert.equal(ok.suggestedName, 'postgres on localhost:5432');
    const taken = checkForm(pg, { ...none, raw, name: '', otherNames: ['postgres on localhost:5432'] });
    assert.match(taken.errors.name ?? '', /already exists/);
  });

  it('shows fields by `when`, checks only those, and clears hidden ones from the options', () => {
    const local = checkForm(conditional, { ...none, raw: { mode: 'local', address: 'nowhere', tls: false }, name: '' });
    assert.deepEqual(local.visible, ['mode', 'address', 'tls']);
    assert.equal(local.errors.address, 'host:port, please');
    const cloud = checkForm(conditional, { ...none, raw: { mode: 'cloud', address: 'stale:1', key: '/k.json', tls: true }, name: '' });
    assert.deepEqual(cloud.visible, ['mode', 'key', 'tls']);
    assert.equal(cloud.valid, true);
    assert.ok('address' in cloud.options && cloud.options.address === undefined, 'a hidden field is cleared, so an edit removes it');
    assert.deepEqual(cloud.secret, { key: '/k.json' });
    assert.equal(cloud.options.tls, true);
  });

  it('keeps secrets apart: typed over pending, and the webview learns only their state', () => {
    const raw = { ...initialValues(pg), password: '' };
    const pending = checkForm(pg, { ...none, raw, name: '', pending: { password: 'from-url' } });
    assert.deepEqual(pending.secret, { password: 'from-url' });
    assert.ok(!('password' in pending.options));
    const typed = checkForm(pg, { ...none, raw: { ...raw, password: 'typed' }, name: '', pending: { password: 'from-url' } });
    assert.deepEqual(typed.secret, { password: 'typed' });
    assert.deepEqual(secretStates(pg, { password: 'stored' }, {}), { password: 'stored' });
    assert.deepEqual(secretStates(pg, { password: 'stored' }, { password: 'p' }), { password: 'pending' });
    assert.deepEqual(secretStates(pg, {}, {}), { password: 'none' });
  });

  it('keeps the edited profile\'s options that the form has no field for', () => {
    const checked = checkForm(pg, { ...none, raw: initialValues(pg), name: 'x', base: { schemas: { include: ['app'] } } });
    assert.deepEqual(checked.options.schemas, { include: ['app'] });
    assert.equal(checked.valid, true);
  });
});

describe('webview protocols: one schema per message, both ways', () => {
  it('accepts what each side sends and refuses what neither should', () => {
    assert.equal(PreviewFromWebview.safeParse({ type: 'load', index: 2, fresh: false }).success, true);
    assert.equal(PreviewFromWebview.safeParse({ type: 'load', index: -1, fresh: false }).success, false);
    assert.equal(PreviewFromWebview.safeParse({ type: 'eval', code: 'x' }).success, false);
    const page = { index: 0, offset: 0, pageSize: 100, columns: [{ name: 'doc', type: 'jsonb' }], rows: [[{ a: [1, null] }]], hasMore: false, clipped: [], fromCache: false };
    assert.equal(PreviewToWebview.safeParse({ type: 'state', title: 't', subtitle: 's', loading: false, page }).success, true);
    assert.equal(PreviewToWebview.safeParse({ type: 'state', title: 't', subtitle: 's', loading: false, page: { ...page, rows: [[undefined]] } }).success, false, 'cells are JSON');
    assert.equal(FormFromWebview.safeParse({ type: 'save', values: { port: '1', tls: true }, name: 'n', saveAnyway: false }).success, true);
    assert.equal(FormFromWebview.safeParse({ type: 'save', values: { port: 1 }, name: 'n', saveAnyway: false }).success, false);
    assert.equal(FormToWebview.safeParse({ type: 'tested', result: { ok: false, error: { code: 'CONNECTION_REFUSED', message: 'm', hint: 'h' } } }).success, true);
    assert.equal(FormToWebview.safeParse({ type: 'fieldSet', key: 'password', secret: 'pending' }).success, true);
  });
});
