// Debian's Chromium driven by playwright-core: the "electron window" of the code-server workbench.
import * as fs from 'fs';
import * as path from 'path';
import { format } from 'util';
import { chromium, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { CHROMIUM } from './config';
import { Cleanup, Deadline, log } from './proc';

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/**
 * A persistent context keeps Chromium's profile inside our scratch folder: nothing outside it is written, and
 * the leftover-process check can find Chromium by that path.
 */
export async function launchBrowser(cleanup: Cleanup, deadline: Deadline, profileDir: string, home: string): Promise<BrowserContext> {
  const context = await deadline.race(
    chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      env: { ...process.env, HOME: home },
      viewport: { width: 1400, height: 900 },
      // The runner handles signals itself and closes the browser in its cleanup.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      timeout: deadline.remaining(),
    }),
    'Chromium to start',
  );
  cleanup.add('close Chromium', () => Promise.race([
    context.close(),
    // playwright kills the browser on process exit anyway; do not let a wedged close block cleanup.
    new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref()),
  ]));
  return context;
}

// Workbench chatter that says nothing about the extension under test (offline gallery, connection set-up).
const NOISE = [
  /^Failed to load resource/, /ENOTFOUND open-vsx\.org/, /^Canceled/, /same-origin iframe|escape its sandboxing/,
  /connection token|Creating a socket|reconnection-grace-time|\[Service Worker\]|\[AgentHost|\[AccountPolicyGate\]/,
  /additional builtin extensions cache/,
];

/**
 * The workbench logs through a console logger: ('%c INFO', 'color: #33f', format, ...args). Under the test
 * driver the extension host's console (mocha's spec output, the extension's own logging) arrives that way
 * too, unlabelled, so lines are told apart by content, not by source. Returns [level, text].
 */
async function formatConsole(msg: ConsoleMessage): Promise<[string, string]> {
  let args: unknown[];
  try {
    args = await Promise.all(msg.args().map((a) => a.jsonValue()));
  } catch {
    return [msg.type(), msg.text()]; // the page went away while we read the arguments
  }
  if (args.length === 0) return [msg.type(), msg.text()]; // browser-generated (network errors): text only
  const head = typeof args[0] === 'string' ? /^%c\s*(\w+)$/.exec(args[0]) : null;
  if (head) return [head[1], format(...args.slice(2))];
  return [msg.type(), format(...args)];
}

/** Stack frames inside the workbench bundle say nothing about the extension: fold them (the log keeps them). */
function foldWorkbenchFrames(text: string): string {
  const out: string[] = [];
  let folded = 0;
  for (const line of [...text.split('\n'), '']) {
    if (/^\s*at .*\/static\/out\/vs\//.test(line)) {
      folded++;
      continue;
    }
    if (folded > 0) out.push(`      … ${folded} workbench frame(s), see the page log`);
    folded = 0;
    out.push(line);
  }
  out.pop();
  return out.join('\n');
}

/**
 * Every page console line goes to `logFile`; all but known workbench noise also goes to stdout prefixed
 * `[editor]`, so a failing run explains itself without opening the log.
 */
export async function newPage(context: BrowserContext, logFile: string): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage());
  const sink = fs.createWriteStream(logFile, { flags: 'a' });
  let queue = Promise.resolve(); // keeps lines in order although formatting is asynchronous
  page.on('console', (msg) => {
    queue = queue.then(async () => {
      const [level, text] = await formatConsole(msg);
      sink.write(`[${level}] ${text}\n`);
      if (NOISE.some((re) => re.test(text))) return;
      const tag = /^(INFO|log|info)$/.test(level) ? 'editor' : `editor:${level}`;
      process.stdout.write(`[${tag}] ${foldWorkbenchFrames(text).replace(/\n/g, `\n[${tag}] `)}\n`);
    });
  });
  page.on('pageerror', (err) => sink.write(`[pageerror] ${err.message}\n`));
  page.on('close', () => void queue.then(() => sink.end()));
  return page;
}

/** `vscode-remote://<authority><path>`: plain paths make the workbench wait forever. */
export function remoteUri(authority: string, fsPath: string): string {
  return `vscode-remote://${authority}${fsPath}`;
}

export function workbenchUrl(authority: string, workspace: string, payload?: [string, string][]): string {
  const url = `http://${authority}/?folder=${encodeURIComponent(workspace)}`;
  return payload ? `${url}&payload=${encodeURIComponent(JSON.stringify(payload))}` : url;
}

/**
 * Opens the workbench with the extension-test payload and resolves with the code the workbench passes to
 * `codeAutomationExit` once the suite's `run()` settles (0 = passed).
 */
export async function runExtensionTests(
  page: Page, deadline: Deadline, opts: { authority: string; workspace: string; extensionPath: string; suiteIndex: string },
): Promise<number> {
  let reportExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => {
    reportExit = resolve;
  });
  // Must exist before the page loads: the smoke-test driver looks it up when the tests end.
  await page.exposeFunction('codeAutomationExit', (code: unknown) => reportExit(typeof code === 'number' ? code : 1));
  const url = workbenchUrl(opts.authority, opts.workspace, [
    ['extensionDevelopmentPath', remoteUri(opts.authority, opts.extensionPath)],
    ['extensionTestsPath', remoteUri(opts.authority, opts.suiteIndex)],
  ]);
  await deadline.race(page.goto(url, { waitUntil: 'domcontentloaded', timeout: deadline.remaining() }), 'the workbench page to load');
  log('workbench loaded; extension tests running');
  return deadline.race(exited, 'the extension tests to finish (the workbench never called codeAutomationExit)');
}

/** Opens the workbench as a user would (no payload) and waits until it has drawn itself. */
export async function openWorkbench(page: Page, deadline: Deadline, authority: string, workspace: string): Promise<void> {
  await deadline.race(page.goto(workbenchUrl(authority, workspace), { waitUntil: 'domcontentloaded', timeout: deadline.remaining() }),
    'the workbench page to load');
  await deadline.race(page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: deadline.remaining() }),
    'the workbench (.monaco-workbench) to appear');
}

export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, timeout: 10_000 });
  return file;
}
