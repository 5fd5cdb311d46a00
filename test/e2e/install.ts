// First-use install of what the real-editor tests need: Chromium and build headers from Debian, Node 24 and
// code-server from npm (this network reaches only those two registries). Each piece is finished only when
// its marker file exists; a folder without one is a half-finished earlier attempt and is wiped and redone.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cacheDir, CHROMIUM, CODE_SERVER_VERSION } from './config';
import { Cleanup, Deadline, log, runLogged } from './proc';

export interface Installed {
  /** Node 24 binary that runs code-server (its native modules are built for this ABI). */
  node: string;
  /** code-server's entry point: `<node> <entryJs> …`. */
  entryJs: string;
}

const MARKER = '.plugboard-install-complete';
const installLog = path.join(cacheDir, 'install.log');
const node24Dir = path.join(cacheDir, 'node24');
const node24Bin = path.join(node24Dir, 'node_modules', 'node', 'bin', 'node');
/** The `node` npm package ships the headers in its platform package; node-gyp needs them for Node 24. */
const node24Headers = path.join(node24Dir, 'node_modules', 'node', 'node_modules', `node-linux-${process.arch}`);
const csDir = path.join(cacheDir, 'cs');
const entryJs = path.join(csDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

// Chromium to drive; the -dev packages are needed only while code-server's native modules compile.
const RUNTIME_PACKAGES = ['chromium'];
const BUILD_PACKAGES = ['libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config'];

function isComplete(dir: string, expected: string, file: string): boolean {
  try {
    return fs.readFileSync(path.join(dir, MARKER), 'utf8').trim() === expected && fs.existsSync(file);
  } catch {
    return false;
  }
}

function markComplete(dir: string, value: string): void {
  fs.writeFileSync(path.join(dir, MARKER), `${value}\n`);
}

function startFresh(dir: string): void {
  if (fs.existsSync(dir)) log(`removing unfinished install in ${dir}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}

function missingDebianPackages(names: string[]): string[] {
  return names.filter((name) => {
    try {
      return !execFileSync('dpkg-query', ['-W', '-f=${Status}', name], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString().includes('install ok installed');
    } catch {
      return true;
    }
  });
}

async function ensureDebianPackages(cleanup: Cleanup, deadline: Deadline, needBuildTools: boolean): Promise<void> {
  const wanted = needBuildTools ? [...RUNTIME_PACKAGES, ...BUILD_PACKAGES] : RUNTIME_PACKAGES;
  const missing = missingDebianPackages(wanted);
  if (!fs.existsSync(CHROMIUM) && !missing.includes('chromium')) missing.unshift('chromium');
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing system packages: ${missing.join(' ')}\n` +
      `install them first: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runLogged(cleanup, deadline, 'updating apt package lists', 'apt-get', ['update'], { env, logFile: installLog });
  await runLogged(cleanup, deadline, `installing ${missing.join(' ')} with apt`, 'apt-get',
    ['install', '-y', ...missing], { env, logFile: installLog });
  if (!fs.existsSync(CHROMIUM)) throw new Error(`apt installed chromium but ${CHROMIUM} is still missing`);
}

async function ensureNode24(cleanup: Cleanup, deadline: Deadline): Promise<void> {
  if (isComplete(node24Dir, 'node@24', node24Bin)) return;
  startFresh(node24Dir);
  await runLogged(cleanup, deadline, 'installing Node 24 from npm', 'npm',
    ['install', '--prefix', node24Dir, '--no-audit', '--no-fund', 'node@24'], { logFile: installLog });
  const version = execFileSync(node24Bin, ['--version']).toString().trim();
  if (!version.startsWith('v24.')) throw new Error(`${node24Bin} reports ${version}, expected v24.x`);
  if (!fs.existsSync(path.join(node24Headers, 'include', 'node', 'node.h'))) {
    throw new Error(`Node 24 headers not found in ${node24Headers}; code-server's native modules cannot build`);
  }
  markComplete(node24Dir, 'node@24');
}

/**
 * Under `npm test` the outer npm exports its own settings, among them npm_config_user_agent ("… node/v20 …"),
 * which the inner npm would pass on: code-server's postinstall reads the Node version from it and refuses.
 * Dropping them lets the inner npm, started by Node 24 through PATH, describe itself.
 */
function withoutOuterNpm(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (k === 'npm_config_user_agent' || k === 'NODE' || /^npm_(lifecycle|package|execpath|node_execpath|command)/.test(k)) continue;
    out[k] = v;
  }
  return out;
}

async function ensureCodeServer(cleanup: Cleanup, deadline: Deadline): Promise<void> {
  startFresh(csDir);
  // PATH first at Node 24 so install scripts build for its ABI; npm_config_nodedir overrides the machine's
  // npmrc, which points node-gyp at the system Node 20 headers.
  const env: NodeJS.ProcessEnv = {
    ...withoutOuterNpm(process.env),
    PATH: `${path.dirname(node24Bin)}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: node24Headers,
  };
  log('code-server compiles native modules on install: expect about 2-3 minutes');
  await runLogged(cleanup, deadline, `installing code-server ${CODE_SERVER_VERSION} from npm`, 'npm',
    ['install', '--prefix', csDir, '--no-audit', '--no-fund', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`],
    { env, logFile: installLog });
  const version = execFileSync(node24Bin, [entryJs, '--version'], { env, timeout: 60_000 }).toString();
  if (!version.includes(CODE_SERVER_VERSION)) throw new Error(`code-server reports "${version.trim()}", expected ${CODE_SERVER_VERSION}`);
  markComplete(csDir, CODE_SERVER_VERSION);
}

/** Installs whatever is missing (minutes on first use, instant afterwards) and returns the binaries. */
export async function ensureInstalled(cleanup: Cleanup, deadline: Deadline): Promise<Installed> {
  fs.mkdirSync(cacheDir, { recursive: true });
  const needCodeServer = !isComplete(csDir, CODE_SERVER_VERSION, entryJs);
  const started = Date.now();
  await ensureDebianPackages(cleanup, deadline, needCodeServer);
  await ensureNode24(cleanup, deadline);
  if (needCodeServer) await ensureCodeServer(cleanup, deadline);
  const seconds = Math.round((Date.now() - started) / 1000);
  if (seconds > 1) log(`install finished in ${seconds} s (cached in ${cacheDir})`);
  return { node: node24Bin, entryJs };
}
