/**
 * Issue 14: the production bundle starts small. dist/extension.js, and every dist file requiring it loads,
 * hold none of the heavy libraries (zod, handlebars, pg, mysql2, mongodb, firestore, swagger-parser, ajv,
 * js-yaml, semver, the URL stack); neither does `plugboard --help`. Every dist file loads, every file a
 * dist file requires exists, the stand-in editor activates the extension, and the drivers load on demand.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROBE, VSCODE_STUB } from '../support/vscodeStub';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** A string each library keeps through minification, and that Plugboard's own code never holds. */
const HEAVY: Record<string, string> = {
  zod: '$ZodType',
  handlebars: 'Template was precompiled with',
  'handlebars compiler': 'Parse error on line',
  pg: 'SCRAM-SERVER-FIRST-MESSAGE',
  mysql2: 'ER_ACCESS_DENIED_ERROR',
  mongodb: 'MongoServerError',
  firestore: 'google.firestore.v1',
  'swagger-parser': 'Unrecognized Swagger version',
  ajv: 'strictSchema',
  'js-yaml': 'YAMLException',
  semver: 'Invalid comparator',
  'WHATWG URL (tr46)': 'xn--',
};

describe('the production bundle (node esbuild.js --production)', function () {
  this.timeout(600_000);
  let dir: string;
  let dist: string;
  const text = (f: string) => readFileSync(path.join(dist, f), 'utf8');
  const probe = (mode: string) =>
    JSON.parse(execFileSync(process.execPath, [path.join(dir, 'probe.js'), dist, mode, path.join(dir, 'storage')], { cwd: dir }).toString()) as { loaded: string[]; activated?: string[] };

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'plugboard-bundle-'));
    dist = path.join(dir, 'dist');
    await fs.mkdir(path.join(dir, 'node_modules', 'vscode'), { recursive: true });
    await fs.mkdir(path.join(dir, 'storage'));
    await fs.writeFile(path.join(dir, 'node_modules', 'vscode', 'index.js'), VSCODE_STUB);
    await fs.writeFile(path.join(dir, 'probe.js'), PROBE);
    // The bundle finds PGlite (external) and the templates by walking up from dist/.
    await fs.symlink(path.join(ROOT, 'templates'), path.join(dir, 'templates'));
    await fs.symlink(path.join(ROOT, 'node_modules', '@electric-sql'), path.join(dir, 'node_modules', '@electric-sql'));
    execFileSync(process.execPath, ['esbuild.js', '--production', '--outdir', dist], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps every heavy library out of what requiring extension.js loads (and each is somewhere in dist)', () => {
    const all = readdirSync(dist).filter((f) => f.endsWith('.js')).map(text).join('\n');
    const { loaded } = probe('require');
    assert.ok(loaded.includes('extension.js'));
    for (const [lib, marker] of Object.entries(HEAVY)) {
      assert.ok(all.includes(marker), `${lib}: its marker ${JSON.stringify(marker)} is in no dist file (a stale marker checks nothing)`);
      for (const f of loaded) assert.ok(!text(f).includes(marker), `${lib} is in ${f}, which requiring extension.js loads`);
    }
    assert.ok(text('extension.js').length <= 300 * 1024, 'dist/extension.js is at most 300 KB');
  });

  it('answers plugboard --help without loading a heavy library', () => {
    const out = execFileSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(dist, 'cli.js'))}).main(['--help']).then(() => process.stdout.write('\\n' + JSON.stringify(Object.keys(require.cache))))`], { cwd: dir }).toString();
    assert.match(out, /Usage: plugboard/);
    const loaded = (JSON.parse(out.slice(out.lastIndexOf('\n') + 1)) as string[]).filter((f) => f.startsWith(dist + path.sep)).map((f) => path.basename(f));
    for (const [lib, marker] of Object.entries(HEAVY)) for (const f of loaded) assert.ok(!text(f).includes(marker), `${lib} is in ${f}, which --help loads`);
  });

  it('loads every dist file, and every file a dist file requires exists', () => {
    const files = readdirSync(dist).filter((f) => f.endsWith('.js'));
    for (const f of files) {
      for (const m of text(f).matchAll(/require\("\.\/([^"]+)"\)/g)) assert.ok(files.includes(m[1]!), `${f} requires ./${m[1]}, which is not in dist`);
    }
    const script = `for (const f of ${JSON.stringify(files)}) require(require('node:path').join(${JSON.stringify(dist)}, f)); process.stdout.write('ok')`;
    assert.equal(execFileSync(process.execPath, ['-e', script], { cwd: dir }).toString(), 'ok');
    for (const kind of ['postgres', 'mysql', 'supabase', 'mongodb', 'firestore', 'http']) assert.ok(files.includes(`backend-${kind}.js`), `backend-${kind}.js`);
    for (const vendor of ['zod', 'semver', 'handlebars']) assert.ok(files.includes(`vendor-${vendor}.js`), `vendor-${vendor}.js`);
    assert.ok(files.includes('templates-precompiled.js'));
  });

  it('activates in the stand-in editor without loading a driver', () => {
    const { activated } = probe('activate');
    assert.ok(activated?.length, 'activate() ran');
    for (const f of activated) assert.ok(!f.startsWith('backend-'), `activation loaded ${f}`);
    for (const lib of ['pg', 'mysql2', 'mongodb', 'firestore', 'handlebars compiler', 'swagger-parser']) {
      for (const f of activated) assert.ok(!text(f).includes(HEAVY[lib]!), `${lib} is in ${f}, which activation loads`);
    }
  });
});
