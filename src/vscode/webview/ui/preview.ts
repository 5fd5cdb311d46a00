import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { PreviewFromWebview, PreviewToWebview, type PreviewPageView, type PreviewState } from '../protocol/preview';
import { el, openChannel } from './bridge';
import { renderCell, type Cell } from './cells';

/**
 * Preview Data's page: a toolbar (entity, "rows 101–200", Previous / Next / Reload), a progress line with
 * Cancel while a page loads, an error box with Retry, and the grid. It draws what the extension sends and
 * asks for pages; it holds no data of its own beyond what is on screen.
 */
const app = document.getElementById('app')!;
const title = el('h1', { class: 'title' });
const subtitle = el('span', { class: 'subtitle' });
const range = el('span', { class: 'range', role: 'status' });
const cached = el('vscode-badge', { class: 'cached', title: 'Served from the preview cache; Reload reads the server again' }, 'cached');
const prev = el('vscode-button', { secondary: true, id: 'prev' }, 'Previous');
const next = el('vscode-button', { secondary: true, id: 'next' }, 'Next');
const reload = el('vscode-button', { secondary: true, id: 'reload', title: 'Read this page from the server again' }, 'Reload');
const loading = el('div', { class: 'loading', role: 'status' }, el('vscode-progress-ring'), el('span', {}, 'Loading rows…'), el('vscode-button', { secondary: true, id: 'cancel' }, 'Cancel'));
const errorBox = el('section', { class: 'error', role: 'alert' });
const grid = el('div', { class: 'grid-wrap' });
app.append(
  el('header', { class: 'toolbar' }, el('div', { class: 'heading' }, title, subtitle), el('div', { class: 'pager' }, range, cached, prev, next, reload)),
  loading,
  errorBox,
  grid,
);

let state: PreviewState | undefined;
let drawnPage = '';
const send = openChannel({ incoming: PreviewToWebview, outgoing: PreviewFromWebview }, (message) => draw(message));

prev.addEventListener('click', () => state?.page && state.page.index > 0 && send({ type: 'load', index: state.page.index - 1, fresh: false }));
next.addEventListener('click', () => state?.page?.hasMore && send({ type: 'load', index: state.page.index + 1, fresh: false }));
reload.addEventListener('click', () => send({ type: 'load', index: state?.page?.index ?? 0, fresh: true }));
loading.querySelector('#cancel')!.addEventListener('click', () => send({ type: 'cancel' }));
send({ type: 'ready' });

function draw(s: PreviewState): void {
  state = s;
  title.textContent = s.title;
  subtitle.textContent = s.subtitle;
  app.setAttribute('aria-busy', String(s.loading));
  loading.hidden = !s.loading;
  const page = s.page;
  range.textContent = page ? rangeText(page) : '';
  cached.hidden = !page?.fromCache || s.loading;
  prev.disabled = s.loading || !page || page.index === 0;
  next.disabled = s.loading || !page?.hasMore;
  reload.disabled = s.loading;
  drawError(s);
  const key = page ? JSON.stringify(page) : '';
  if (key !== drawnPage) {
    drawnPage = key;
    grid.replaceChildren(...(page ? [table(page)] : []));
  }
  grid.classList.toggle('stale', s.loading);
}

/** "rows 101–200"; "no rows" for an empty first page. */
export function rangeText(page: PreviewPageView): string {
  if (!page.rows.length) return page.offset === 0 ? 'no rows' : `no rows after row ${page.offset}`;
  return `rows ${page.offset + 1}–${page.offset + page.rows.length}`;
}

function drawError(s: PreviewState): void {
  errorBox.hidden = !s.error;
  if (!s.error) return errorBox.replaceChildren();
  const retry = el('vscode-button', { id: 'retry' }, 'Retry');
  retry.addEventListener('click', () => send({ type: 'load', index: s.page?.index ?? 0, fresh: true }));
  errorBox.replaceChildren(
    el('div', { class: 'error-head' }, el('span', { class: 'code' }, s.error.code), el('span', { class: 'message' }, s.error.message)),
    ...(s.error.hint ? [el('div', { class: 'hint' }, s.error.hint)] : []),
    retry,
  );
}

function table(page: PreviewPageView): HTMLElement {
  const clipped = new Map(page.clipped.map((c) => [`${c.row}:${c.column}`, c.length]));
  const head = el('tr', {}, el('th', { class: 'rownum', scope: 'col' }, '#'),
    ...page.columns.map((c) => el('th', { scope: 'col', title: c.type ? `${c.name}: ${c.type}` : c.name }, el('span', { class: 'col-name' }, c.name), ...(c.type ? [el('span', { class: 'col-type' }, c.type)] : []))));
  const body = page.rows.map((row, r) => el('tr', {}, el('td', { class: 'rownum' }, String(page.offset + r + 1)),
    ...row.map((cell, c) => el('td', {}, renderCell(cell as Cell, clipped.get(`${r}:${c}`))))));
  const empty = page.rows.length ? [] : [el('tr', {}, el('td', { class: 'empty', colspan: String(page.columns.length + 1) }, 'No rows.'))];
  return el('table', { class: 'grid', 'aria-label': `${state?.title ?? ''}: ${rangeText(page)}` }, el('thead', {}, head), el('tbody', {}, ...body, ...empty));
}
