// What a person sees of Plugboard's two webviews, Preview Data and the connection form, in the packaged
// extension: checks appended to UI_CHECKS (they run after the demo database is open in the tree). A webview
// is an iframe inside an iframe; the checks find the frame that shows the webview's content and drive it
// like a user (clicks, typing), through shadow DOM where @vscode-elements/elements draws its controls.
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { artifactsDir } from '../config';
import { log } from '../proc';
import type { UiCheck, UiCheckContext } from './checks';

async function runCommand(ui: UiCheckContext, title: string): Promise<void> {
  await ui.page.keyboard.press('F1');
  const input = ui.page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: ui.timeout });
  await input.fill(`>${title}`);
  await ui.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first().waitFor({ state: 'visible', timeout: ui.timeout });
  await ui.page.keyboard.press('Enter');
}

/**
 * Runs a command that the palette offers only in some states (e.g. "Hide Notifications" only while
 * notifications are showing): when it is not offered within `ms`, the palette is closed and nothing happens.
 */
async function runCommandIfOffered(ui: UiCheckContext, title: string, ms: number): Promise<boolean> {
  await ui.page.keyboard.press('F1');
  const input = ui.page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: ui.timeout });
  await input.fill(`>${title}`);
  const row = ui.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first();
  const offered = await row.waitFor({ state: 'visible', timeout: ms }).then(() => true, () => false);
  await ui.page.keyboard.press(offered ? 'Enter' : 'Escape');
  await input.waitFor({ state: 'hidden', timeout: ui.timeout });
  return offered;
}

/** The (nested) frame of a webview that shows `selector`: webviews are iframes in iframes, found by content. */
async function webviewFrame(ui: UiCheckContext, selector: string): Promise<Frame> {
  const until = Date.now() + ui.timeout;
  for (;;) {
    for (const frame of ui.page.frames()) {
      if (frame === ui.page.mainFrame()) continue;
      if (await frame.locator(selector).count().catch(() => 0)) return frame;
    }
    if (Date.now() >= until) throw new Error(`no webview shows "${selector}"`);
    await ui.page.waitForTimeout(250);
  }
}

/** The editor area alone (its top `maxHeight` pixels), for the README's screenshots: artifacts/e2e/<name>.png. */
async function editorShot(ui: UiCheckContext, name: string, maxHeight = 900): Promise<void> {
  const box = await ui.page.locator('.part.editor').boundingBox({ timeout: 10_000 });
  if (!box) throw new Error('the editor area is not on screen');
  const clip = { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, maxHeight) };
  await ui.page.screenshot({ path: path.join(artifactsDir, `${name}.png`), clip, timeout: 10_000 });
}

async function closeEditor(ui: UiCheckContext): Promise<void> {
  await runCommand(ui, 'View: Close Editor');
}

export const WEBVIEW_CHECKS: UiCheck[] = [
  {
    name: 'Preview Data from the command palette shows the customers grid, pages, and expands a JSON cell',
    run: async (ui) => {
      // The notification centre an earlier check opened would cover the grid.
      await runCommandIfOffered(ui, 'Notifications: Hide Notifications', 3_000);
      await runCommand(ui, 'Plugboard: Preview Data');
      const pick = ui.page.locator('.quick-input-widget input');
      await pick.fill('customers');
      await ui.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'customers' }).first().waitFor({ state: 'visible', timeout: ui.timeout });
      await ui.page.keyboard.press('Enter');
      const frame = await webviewFrame(ui, 'table.grid tbody tr');
      const range = frame.locator('.range');
      await frame.locator('.range', { hasText: 'rows 1–100' }).waitFor({ timeout: ui.timeout });
      const rows = await frame.locator('table.grid tbody tr').count();
      if (rows !== 100) throw new Error(`the first page shows ${rows} rows, not 100`);
      const headers = (await frame.locator('table.grid thead th').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      if (!headers.some((h) => h === 'preferences jsonb')) throw new Error(`no "preferences jsonb" header among ${JSON.stringify(headers)}`);
      await ui.shot('ui-08-preview-data');
      await frame.locator('vscode-button#next').click({ timeout: ui.timeout });
      await frame.locator('.range', { hasText: 'rows 101–130' }).waitFor({ timeout: ui.timeout });
      log(`  preview paged to "${await range.innerText()}"`);
      const json = frame.locator('table.grid button.cell-toggle.json').first();
      await json.click({ timeout: ui.timeout });
      const full = frame.locator('table.grid pre.full.json').first();
      await full.waitFor({ state: 'visible', timeout: ui.timeout });
      const text = await full.innerText();
      if (!/"newsletter"/.test(text)) throw new Error(`the expanded JSON cell shows ${JSON.stringify(text)}`);
      await ui.shot('ui-09-preview-data-page-2');
      await editorShot(ui, 'screenshot-preview', 520);
      await closeEditor(ui);
    },
  },
  {
    name: 'the connection form shows PostgreSQL\'s fields, masks the password, and Test shows the coded error',
    run: async (ui) => {
      await runCommand(ui, 'Plugboard: Add Connection (Form)…');
      const frame = await webviewFrame(ui, 'vscode-textfield#field-host');
      const labels = (await frame.locator('vscode-label').allInnerTexts()).map((t) => t.trim());
      for (const label of ['Host', 'Port', 'Database', 'User', 'Password', 'SSL mode']) {
        if (!labels.includes(label)) throw new Error(`no "${label}" field among ${JSON.stringify(labels)}`);
      }
      const password = frame.locator('vscode-textfield#field-password input');
      if ((await password.getAttribute('type')) !== 'password') throw new Error('the password field is not masked');
      if ((await frame.locator('vscode-textfield#connection-string input').getAttribute('type')) !== 'password') throw new Error('the connection-string field is not masked');
      await password.fill('not-shown');
      await frame.locator('vscode-textfield#field-host input').fill('127.0.0.1');
      await frame.locator('vscode-textfield#field-port input').fill('1');
      await frame.locator('vscode-textfield#name input').fill('Unreachable on purpose');
      await frame.locator('vscode-button#test').click({ timeout: ui.timeout });
      const code = frame.locator('.result .error .code');
      await code.waitFor({ state: 'visible', timeout: ui.timeout });
      const shown = await code.innerText();
      if (shown !== 'CONNECTION_REFUSED') throw new Error(`Test showed ${shown}, not CONNECTION_REFUSED`);
      await code.scrollIntoViewIfNeeded({ timeout: ui.timeout });
      await ui.shot('ui-10-connection-form');
      await editorShot(ui, 'screenshot-form');
      await closeEditor(ui);
    },
  },
];
