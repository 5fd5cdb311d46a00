// Where things live and which knobs the real-editor runner reads. Everything is resolved once, here, so the
// other modules never look at process.env or guess paths on their own.
import * as path from 'path';

/** out/test/e2e/config.js → the repository root. */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');
/** Git-ignored cache for Node 24 and code-server (hundreds of MiB, installed on first use). */
export const cacheDir = path.join(repoRoot, '.vscode-test');
/** Git-ignored output: screenshots, logs and results.json for a parent script. */
export const artifactsDir = path.join(repoRoot, 'artifacts', 'e2e');

export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM = '/usr/bin/chromium';

export type Phase = 'host' | 'ui';

export interface E2eConfig {
  /** Folder of the extension under test (loaded as a development extension in the host phase). */
  extensionPath: string;
  /** Folder searched recursively for compiled *.test.js files by the suite index. */
  testsDir: string;
  /** Packaged extension for the UI phase; undefined → build one with `npm run package`. */
  vsix: string | undefined;
  phases: Phase[];
  /** Limit for everything after the install: start, tests, UI checks. */
  timeoutMs: number;
  /** Limit for the first-use install (apt + Node 24 + code-server takes minutes). */
  installTimeoutMs: number;
  /** Debug only: start code-server without the smoke-test driver, which makes the test payload hang. */
  omitTestDriver: boolean;
  /** Keep the scratch folder (user data, logs, workspace) for a post-mortem. */
  keepScratch: boolean;
}

function positiveInt(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer (milliseconds), got "${raw}"`);
  return n;
}

/** Reads `--vsix <file>` and `--only host|ui` from argv, the rest from the environment. */
export function readConfig(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): E2eConfig {
  let vsix = env.PLUGBOARD_VSIX || undefined;
  let only = env.PLUGBOARD_E2E_ONLY || undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--vsix') vsix = argv[++i];
    else if (arg === '--only') only = argv[++i];
    else throw new Error(`unknown argument "${arg}" (accepted: --vsix <file>, --only host|ui)`);
  }
  if (only !== undefined && only !== 'host' && only !== 'ui') throw new Error(`--only must be "host" or "ui", got "${only}"`);
  return {
    extensionPath: path.resolve(env.PLUGBOARD_E2E_EXTENSION || repoRoot),
    testsDir: path.resolve(env.PLUGBOARD_E2E_TESTS || path.join(repoRoot, 'out', 'test', 'e2e', 'suite')),
    vsix: vsix ? path.resolve(vsix) : undefined,
    phases: only ? [only] : ['host', 'ui'],
    timeoutMs: positiveInt(env.PLUGBOARD_E2E_TIMEOUT_MS, 240_000, 'PLUGBOARD_E2E_TIMEOUT_MS'),
    installTimeoutMs: positiveInt(env.PLUGBOARD_E2E_INSTALL_TIMEOUT_MS, 20 * 60_000, 'PLUGBOARD_E2E_INSTALL_TIMEOUT_MS'),
    omitTestDriver: env.PLUGBOARD_E2E_DEBUG_NO_DRIVER === '1',
    keepScratch: env.PLUGBOARD_E2E_KEEP === '1',
  };
}

/** The compiled suite index, as the extension host wants it: an absolute path without `.js`. */
export const suiteIndex = path.join(repoRoot, 'out', 'test', 'e2e', 'suite', 'index');
