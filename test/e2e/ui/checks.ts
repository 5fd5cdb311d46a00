// What a person sees after installing the packaged extension: named checks run in order against one
// workbench page, each counted pass/fail, each leaving a screenshot in artifacts/e2e/. Add a check by
// appending to UI_CHECKS; a check throws to fail.
import { Page } from 'playwright-core';
import { screenshot } from '../browser';
import { Deadline, log } from '../proc';

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

export const UI_CHECKS: UiCheck[] = [
  {
    name: 'workbench shows the activity bar and the workspace',
    run: async (ui) => {
      await ui.page.locator('.part.activitybar').waitFor({ state: 'visible', timeout: ui.timeout });
      await ui.shot('ui-01-workbench');
    },
  },
  {
    name: 'activity bar has a Plugboard tab',
    run: async (ui) => {
      await ui.page.getByRole('tab', { name: /Plugboard/ }).waitFor({ state: 'visible', timeout: ui.timeout });
    },
  },
  {
    name: 'clicking the Plugboard tab opens its side bar',
    run: async (ui) => {
      await ui.page.getByRole('tab', { name: /Plugboard/ }).click({ timeout: ui.timeout });
      const title = ui.page.locator('.part.sidebar .composite.title');
      await title.filter({ hasText: /plugboard/i }).waitFor({ state: 'visible', timeout: ui.timeout });
      await ui.shot('ui-02-plugboard-view');
    },
  },
  {
    name: 'command palette lists Plugboard commands',
    run: async (ui) => {
      await openCommandPalette(ui, 'Plugboard:');
      const rows = ui.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: /Plugboard:/ });
      await rows.first().waitFor({ state: 'visible', timeout: ui.timeout });
      log(`  command palette shows ${await rows.count()} Plugboard command(s)`);
      await ui.shot('ui-03-command-palette');
      await ui.page.keyboard.press('Escape');
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
      await ui.shot('ui-04-notifications');
      const text = (await center.innerText({ timeout: ui.timeout })).replace(/\s+/g, ' ');
      const bad = /(activating extension .*failed|plugboard.*(error|failed))/i.exec(text);
      if (bad) throw new Error(`notification center shows: "${bad[0]}"`);
    },
  },
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
      if (deadline.expired()) break; // the run is out of time; the remaining checks cannot run
      // Leave the palette or a menu closed for the next check.
      await page.keyboard.press('Escape').catch(() => undefined);
    }
  }
  return results;
}
