// code-server (VS Code 1.139 served to a browser) with a fresh, isolated profile for every start, so no run
// sees another's extensions, settings, state or temp files.
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { Installed } from './install';
import { Cleanup, Deadline, log, runLogged, sleep, spawnGroup, tail } from './proc';

/** The folders of one code-server profile; all under one scratch root that cleanup removes. */
export interface Profile {
  root: string;
  userData: string;
  extensions: string;
  workspace: string;
  logFile: string;
  /** HOME, TMPDIR and XDG_* pointing inside the profile, plus the caller's extras. */
  env: NodeJS.ProcessEnv;
}

export interface RunningServer {
  /** `127.0.0.1:<port>`: the browser must use exactly this authority, also inside vscode-remote URIs. */
  authority: string;
}

// Quiet, deterministic first start: no welcome page, no chat panel, no trust prompt, no update traffic.
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoUpdate': false,
  // No port auto-forwarding: its scan spawns a process from the extension host every few seconds, a 40-50 ms
  // task of VS Code's own that the host bench's probe took for Plugboard's (the drift check's "54 ms").
  'remote.autoForwardPorts': false,
  'remote.autoForwardPortsSource': 'output',
};

/** Creates `<scratch>/<name>/…` with its own user data, extensions, workspace, HOME and temp dirs. */
export function makeProfile(scratch: string, name: string, extraEnv: NodeJS.ProcessEnv = {}): Profile {
  const root = path.join(scratch, name);
  const dir = (sub: string): string => {
    const p = path.join(root, sub);
    fs.mkdirSync(p, { recursive: true, mode: 0o700 });
    return p;
  };
  const userData = dir('user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
  const env: NodeJS.ProcessEnv = { ...process.env };
  // A runner started from a VS Code terminal inherits variables that would make code-server talk to that
  // editor (VSCODE_IPC_HOOK_CLI) or run as plain Node (ELECTRON_RUN_AS_NODE).
  for (const key of Object.keys(env)) if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') delete env[key];
  Object.assign(env, {
    HOME: dir('home'),
    TMPDIR: dir('tmp'),
    XDG_CONFIG_HOME: dir('xdg-config'),
    XDG_DATA_HOME: dir('xdg-data'),
    XDG_CACHE_HOME: dir('xdg-cache'),
    XDG_RUNTIME_DIR: dir('xdg-runtime'),
    ...extraEnv,
  });
  return { root, userData, extensions: dir('extensions'), workspace: dir('workspace'), logFile: path.join(root, 'code-server.log'), env };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function baseArgs(installed: Installed, profile: Profile): string[] {
  return [installed.entryJs, '--user-data-dir', profile.userData, '--extensions-dir', profile.extensions];
}

/** Installs a packaged extension the way a user's `code --install-extension` would. */
export async function installVsix(cleanup: Cleanup, deadline: Deadline, installed: Installed, profile: Profile, vsix: string): Promise<void> {
  if (!fs.existsSync(vsix)) throw new Error(`vsix not found: ${vsix}`);
  await runLogged(cleanup, deadline, `installing ${path.basename(vsix)} into code-server`, installed.node,
    [...baseArgs(installed, profile), '--install-extension', vsix, '--force'], { env: profile.env, logFile: profile.logFile });
}

async function healthy(authority: string): Promise<boolean> {
  try {
    const res = await fetch(`http://${authority}/healthz`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

/** Starts code-server on a free loopback port and resolves once GET /healthz answers 200. */
export async function startCodeServer(
  cleanup: Cleanup, deadline: Deadline, installed: Installed, profile: Profile, opts: { testDriver: boolean },
): Promise<RunningServer> {
  const authority = `127.0.0.1:${await freePort()}`;
  const args = [
    ...baseArgs(installed, profile),
    '--bind-addr', authority, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
    // Without the smoke-test driver the workbench ignores the test payload and never calls codeAutomationExit.
    ...(opts.testDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    profile.workspace,
  ];
  const out = fs.openSync(profile.logFile, 'a');
  const { child, stop } = spawnGroup(cleanup, 'code-server', installed.node, args, { env: profile.env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `code-server exited early (code ${code}, signal ${signal})`;
  });
  child.once('error', (err) => {
    exited = `code-server could not start: ${err.message}`;
  });

  const started = Date.now();
  const waitHealthy = async (): Promise<void> => {
    while (!(await healthy(authority))) {
      if (deadline.expired()) return; // the race below has already reported the timeout
      if (exited) throw new Error(`${exited}. Last lines of ${profile.logFile}:\n${tail(profile.logFile, 25)}`);
      await sleep(250);
    }
  };
  try {
    await deadline.race(waitHealthy(), `code-server /healthz on ${authority}`);
  } catch (err) {
    await stop();
    throw err;
  }
  log(`code-server ready on http://${authority} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { authority }; // stopped by the caller's cleanup scope
}
