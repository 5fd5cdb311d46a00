/**
 * A stand-in 'vscode' module and a probe script, for measuring and checking the bundle in plain node
 * (bench/startup.ts, test/integration/bundle.test.ts). Write VSCODE_STUB to <dir>/node_modules/vscode/index.js
 * beside a dist folder; run PROBE as `node probe.js <dist> require|activate <storage>`: it prints JSON with
 * the time to require dist/extension.js (and to activate it) and the dist files each loaded.
 */

/** A stand-in 'vscode' module: concrete where activate() reads values, a forgiving stand-in elsewhere. */
export const VSCODE_STUB = String.raw`'use strict';
// Every member is a callable, constructible stand-in that returns another; what is assigned to one is kept.
function stub() {
  const props = new Map();
  return new Proxy(function () {}, {
    get(_t, key) {
      if (key === 'then') return undefined;
      if (key === Symbol.toPrimitive) return () => '';
      if (key === Symbol.iterator) return function* () {};
      if (!props.has(key)) props.set(key, stub());
      return props.get(key);
    },
    set(_t, key, value) { props.set(key, value); return true; },
    apply: () => stub(),
    construct: () => stub(),
  });
}
const disposable = () => ({ dispose() {} });
class EventEmitter {
  constructor() { this.listeners = []; this.event = (l) => { this.listeners.push(l); return disposable(); }; }
  fire(e) { for (const l of this.listeners) l(e); }
  dispose() {}
}
class Disposable { constructor(f) { this.f = f; } static from(...d) { return new Disposable(() => d.forEach((x) => x && x.dispose && x.dispose())); } dispose() { if (this.f) this.f(); } }
class Uri {
  constructor(fsPath) { this.fsPath = fsPath; this.path = fsPath; this.scheme = 'file'; }
  static file(p) { return new Uri(p); }
  static parse(s) { return new Uri(s); }
  static joinPath(u, ...p) { return new Uri(require('node:path').join(u.fsPath, ...p)); }
  with() { return this; }
  toString() { return 'file://' + this.fsPath; }
}
class Plain { constructor(...args) { this.args = args; } }
// Real keys: the bundle copies the module's own properties when it imports it.
const vscode = {};
for (const name of ['window', 'workspace', 'commands', 'languages', 'env', 'authentication', 'extensions', 'l10n',
  'DiagnosticSeverity', 'InputBoxValidationSeverity', 'ProgressLocation', 'QuickInputButtons', 'QuickPickItemKind',
  'StatusBarAlignment', 'TextEditorRevealType', 'TreeItemCollapsibleState', 'ViewColumn', 'ConfigurationTarget']) vscode[name] = stub();
Object.assign(vscode, {
  EventEmitter, Disposable, Uri,
  TreeItem: class TreeItem { constructor(label, collapsibleState) { this.label = label; this.collapsibleState = collapsibleState; } },
  ThemeIcon: Plain, ThemeColor: Plain, MarkdownString: Plain, Range: Plain, Position: Plain, Selection: Plain, CodeLens: Plain, Diagnostic: Plain,
});
Object.assign(vscode.workspace, {
  workspaceFolders: undefined,
  getConfiguration: () => ({ get: (_k, d) => d, has: () => false, inspect: () => undefined, update: async () => {} }),
});
module.exports = vscode;
`;

/** Runs in a fresh process: requires extension.js (and activates it), prints what it took. */
export const PROBE = String.raw`'use strict';
const path = require('node:path');
const [dist, mode, storage] = process.argv.slice(2);
const inDist = () => Object.keys(require.cache).filter((f) => f.startsWith(dist + path.sep)).map((f) => path.basename(f));
const t0 = performance.now();
const ext = require(path.join(dist, 'extension.js'));
const requireMs = performance.now() - t0;
const loaded = inDist();
let activateMs, activated;
if (mode === 'activate') {
  const memento = () => { const m = new Map(); return { get: (k, d) => (m.has(k) ? m.get(k) : d), update: async (k, v) => { m.set(k, v); }, keys: () => [...m.keys()], setKeysForSync() {} }; };
  const vscode = require('vscode');
  const context = {
    subscriptions: [], extensionPath: path.dirname(dist), extensionUri: vscode.Uri.file(path.dirname(dist)),
    globalStorageUri: vscode.Uri.file(storage), storageUri: vscode.Uri.file(storage), logUri: vscode.Uri.file(storage),
    globalState: memento(), workspaceState: memento(),
    secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: () => ({ dispose() {} }) },
    asAbsolutePath: (p) => path.join(path.dirname(dist), p), extensionMode: 1,
    extension: { id: 'plugboard.plugboard', extensionPath: path.dirname(dist), packageJSON: { version: '0.0.0' } },
  };
  const a0 = performance.now();
  ext.activate(context);
  activateMs = performance.now() - a0;
  activated = inDist();
}
process.stdout.write(JSON.stringify({ requireMs, loaded, activateMs, activated }));
process.exit(0);
`;
