// Debian's Chromium driven by playwright-core: the "electron window" of the code-server workbench.
import * as fs from 'fs';
import * as path from 'path';
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

/** `%c` markers and their CSS arguments are how VS Code colours console lines; they are noise in a terminal. */
function plainText(msg: ConsoleMessage): string {
  return msg.text().replace(/%c/g, '').replace(/\s*(color|font-weight|background)[^;]*;?/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Every page console line goes to `logFile`; extension-host lines (the tests' own output) and page errors also
 * go to stdout with a prefix, so a failing run explains itself without opening the log.
 */
export async function newPage(context: BrowserContext, logFile: string): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage());
  const sink = fs.createWriteStream(logFile, { flags: 'a' });
  page.on('close', () => sink.end());
  page.on('console', (msg) => {
    const text = plainText(msg);
    sink.write(`[${msg.type()}] ${text}\n`); sink.write(`RAW ${JSON.stringify(msg.text())}\n`);
    if (text.includes('[Extension Host]')) process.stdout.write(`[ext-host] ${text.replace(/^.*?\[Extension Host\]\s*/, '')}\n`);
    else if (msg.type() === 'error') process.stdout.write(`[page:error] ${text}\n`);
  });
  page.on('pageerror', (err) => sink.write(`[pageerror] ${err.message}\n`));
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
