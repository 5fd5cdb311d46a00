// What a person sees after installing the packaged extension: named checks run in order against one
// workbench page, each counted pass/fail, each leaving a screenshot in artifacts/e2e/. Add a check by
// appending to UI_CHECKS; a check throws to fail.
import { Page } from 'playwright-core';
import { screenshot } from '../browser';
import { Deadline, log } from '../proc';
import { WEBVIEW_CHECKS } from './webviewChecks';

export interface UiCheckContext {
  page: Page;
  /** Saves artifacts/e2e/<name>.png. */
  shot: (name: string) => Promise<string>;
  /** Playwright timeout for one wait inside a check (ms). */
  timeout: number;
}

export interface UiCheck {
  name: string;
  run: (ui: UiCheckContext) => Promise<void>;
}

export interface UiCheckResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
  screenshot?: string;
}

const PER_CHECK_MS = 30_000;

async function openCommandPalette(ui: UiCheckContext, text: string): Promise<void> {
  await ui.page.keyboard.press('F1');
  const input = ui.page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: ui.timeout });
  await input.fill(`>${text}`);
}

const DEMO = 'Demo (embedded PostgreSQL)';

function sidebar(ui: UiCheckContext) {
  return ui.page.locator('.part.sidebar');
}

/** A tree row by its label (not its accessible name, which VS Code builds from label, description and more). */
function treeRow(ui: UiCheckContext, label: string) {
  return sidebar(ui).getByRole('treeitem').filter({ has: ui.page.locator('.label-name').getByText(label, { exact: true }) }).first();
}

/**
 * Clicks a tree row (expanding it) until a child row appears. The tree re-renders when a health check or an
 * introspection finishes, which can swallow a click, so the click is retried within the check's time.
 */
async function expand(ui: UiCheckContext, row: string, child: string): Promise<void> {
  const item = treeRow(ui, row);
  const target = treeRow(ui, child);
  const until = Date.now() + ui.timeout;
  for (;;) {
    await item.waitFor({ state: 'visible', timeout: Math.max(1, until - Date.now()) });
    if ((await item.getAttribute('aria-expanded')) !== 'true') await item.click({ timeout: ui.timeout });
    const shown = await target.waitFor({ state: 'visible', timeout: Math.min(5_000, Math.max(1, until - Date.now())) }).then(() => true, () => false);
    if (shown) return;
    if (Date.now() >= until) throw new Error(`row "${child}" did not appear under "${row}"`);
  }
}

export const UI_CHECKS: UiCheck[] = [
  {
    name: 'workbench shows the activity bar and the workspace',
    run: async (ui) => {
      await ui.page.locator('.part.activitybar').waitFor({ state: 'visible', timeout: ui.timeout });
      await ui.shot('ui-01-workbench');
    },
  },
  {
    name: 'the Plugboard activity-bar icon opens the Connections view',
    run: async (ui) => {
      const tab = ui.page.getByRole('tab', { name: /Plugboard/ });
      await tab.waitFor({ state: 'visible', timeout: ui.timeout });
      await tab.click({ timeout: ui.timeout });
      await sidebar(ui).locator('.composite.title').filter({ hasText: /plugboard/i }).waitFor({ state: 'visible', timeout: ui.timeout });
    },
  },
  {
    name: 'the welcome view offers Add Connection and Open Demo Database',
    run: async (ui) => {
      const welcome = sidebar(ui).locator('.welcome-view-content');
      await welcome.getByRole('button', { name: 'Add Connection' }).waitFor({ state: 'visible', timeout: ui.timeout });
      await welcome.getByRole('button', { name: 'Open Demo Database' }).waitFor({ state: 'visible', timeout: ui.timeout });
      await ui.shot('ui-02-welcome');
    },
  },
  {
    name: 'Open Demo Database shows the connection and its tables in the tree',
    run: async (ui) => {
      await sidebar(ui).locator('.welcome-view-content').getByRole('button', { name: 'Open Demo Database' }).click({ timeout: ui.timeout });
      await expand(ui, DEMO, 'public');
      await expand(ui, 'public', 'Tables');
      await expand(ui, 'Tables', 'customers');
      await expand(ui, 'orders', 'customer_id');
      await treeRow(ui, 'products').waitFor({ state: 'visible', timeout: ui.timeout });
      await ui.shot('ui-03-tree');
    },
  },
  {
    name: 'the view title\'s "+" with a tree row focused asks what to add (it does not save anything)',
    run: async (ui) => {
      // The previous check clicked rows, so one has focus: VS Code hands it to the title buttons.
      await treeRow(ui, 'customers').click({ timeout: ui.timeout });
      // The view's title actions show while the pointer is over the side bar's title.
      await sidebar(ui).locator('.composite.title').hover({ timeout: ui.timeout });
      await sidebar(ui).getByRole('button', { name: 'Add Connection…' }).first().click({ timeout: ui.timeout });
      const input = ui.page.locator('.quick-input-widget');
      await input.getByText('What do you want to connect to?').or(input.locator('input[placeholder="What do you want to connect to?"]')).first().waitFor({ state: 'visible', timeout: ui.timeout });
      await ui.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'PostgreSQL' }).first().waitFor({ state: 'visible', timeout: ui.timeout });
      await ui.shot('ui-04a-add-with-row-focused');
      await ui.page.keyboard.press('Escape');
    },
  },
  {
    name: 'the status bar shows the connections\' health',
    run: async (ui) => {
      const item = ui.page.locator('.part.statusbar .statusbar-item').filter({ hasText: /Plugboard: 1\/1 ok/ });
      await item.first().waitFor({ state: 'visible', timeout: ui.timeout });
      await ui.shot('ui-04-status-bar');
    },
  },
  {
    name: 'command palette lists Plugboard commands',
    run: async (ui) => {
      await openCommandPalette(ui, 'Plugboard:');
      // "Plugboard: Focus on … View" is generated by the workbench for any view; it proves no command of ours.
      const rows = ui.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: /Plugboard:/, hasNotText: /Focus on/ });
      await rows.first().waitFor({ state: 'visible', timeout: ui.timeout });
      await ui.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: /Generate Client/ }).first().waitFor({ state: 'visible', timeout: ui.timeout });
      log(`  command palette shows ${await rows.count()} Plugboard command(s)`);
      await ui.shot('ui-05-command-palette');
      await ui.page.keyboard.press('Escape');
    },
  },
  {
    name: 'a generated file shows the "Regenerate client" CodeLens',
    run: async (ui) => {
      await ui.page.keyboard.press('Control+P');
      const input = ui.page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: ui.timeout });
      await input.fill('public.types.ts');
      await ui.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'public.types.ts' }).first().waitFor({ state: 'visible', timeout: ui.timeout });
      await ui.page.keyboard.press('Enter');
      await ui.page.locator('.monaco-editor .codelens-decoration').filter({ hasText: /Regenerate client/ }).first().waitFor({ state: 'visible', timeout: ui.timeout });
      await ui.shot('ui-06-codelens');
    },
  },
  {
    name: 'no notification reports an extension error',
    run: async (ui) => {
      await openCommandPalette(ui, 'Notifications: Show Notifications');
      await ui.page.locator('.quick-input-widget .monaco-list-row').first().waitFor({ state: 'visible', timeout: ui.timeout });
      await ui.page.keyboard.press('Enter');
      const center = ui.page.locator('.notifications-center');
      await center.waitFor({ state: 'visible', timeout: ui.timeout });
      await ui.shot('ui-07-notifications');
      const text = (await center.innerText({ timeout: ui.timeout })).replace(/\s+/g, ' ');
      const bad = /(activating extension .*failed|plugboard.*(error|failed))/i.exec(text) ?? /\b[A-Z]+_[A-Z_]+: /.exec(text);
      if (bad) throw new Error(`notification center shows: "${bad[0]}"`);
    },
  },
  ...WEBVIEW_CHECKS,
];

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Runs every check even after one fails (later ones may still pass), each bounded by the run's deadline. */
export async function runUiChecks(page: Page, deadline: Deadline, artifacts: string, checks = UI_CHECKS): Promise<UiCheckResult[]> {
  const results: UiCheckResult[] = [];
  for (const check of checks) {
    const started = Date.now();
    let lastShot: string | undefined;
    const ui: UiCheckContext = {
      page,
      shot: async (name) => (lastShot = await screenshot(page, artifacts, name)),
      timeout: Math.min(PER_CHECK_MS, deadline.remaining()),
    };
    try {
      await deadline.race(check.run(ui), `UI check "${check.name}"`);
      results.push({ name: check.name, ok: true, ms: Date.now() - started, screenshot: lastShot });
      log(`  ✓ ${check.name}`);
    } catch (err) {
      const error = (err as Error).message.split('\n')[0];
      if (!deadline.expired()) lastShot = await screenshot(page, artifacts, `fail-${slug(check.name)}`).catch(() => lastShot);
      results.push({ name: check.name, ok: false, ms: Date.now() - started, error, screenshot: lastShot });
      log(`  ✗ ${check.name}: ${error}`);
      if (deadline.expired()) {
        const skipped = checks.length - results.length;
        if (skipped > 0) log(`  ${skipped} more UI check(s) not run: out of time`);
        break;
      }
      // Leave the palette or a menu closed for the next check.
      await page.keyboard.press('Escape').catch(() => undefined);
    }
  }
  return results;
}
