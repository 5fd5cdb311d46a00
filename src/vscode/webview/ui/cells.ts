import { el } from './bridge';

/** A cell is one JSON value: what `toPreviewCell` made of the driver's value. */
export type Cell = string | number | boolean | null | Cell[] | { [key: string]: Cell };

/** Strings up to this long (and on one line) show whole; longer ones show this much and expand. */
export const SUMMARY_CHARS = 80;

/**
 * One grid cell. Nulls read NULL in their own style (not the text "null"); numbers and booleans take the
 * theme's token colours; long strings and JSON objects/arrays show a one-line summary and expand on click
 * (Enter or Space too: it is a button) into the whole value. Text only, never HTML: values are data.
 */
export function renderCell(value: Cell, clippedLength?: number): HTMLElement {
  if (value === null) return el('span', { class: 'null' }, 'NULL');
  if (typeof value === 'boolean') return el('span', { class: 'bool' }, String(value));
  if (typeof value === 'number') return el('span', { class: 'num' }, String(value));
  if (typeof value === 'string') {
    if (value.length <= SUMMARY_CHARS && !value.includes('\n') && clippedLength === undefined) return el('span', { class: 'str' }, value);
    const note = clippedLength === undefined ? undefined : `… cut at ${value.length.toLocaleString()} of ${clippedLength.toLocaleString()} characters`;
    return expander('str', oneLine(value), `${value.length.toLocaleString()} chars`, () => value, note);
  }
  const isArray = Array.isArray(value);
  const size = isArray ? `${value.length} item${value.length === 1 ? '' : 's'}` : `${Object.keys(value).length} key${Object.keys(value).length === 1 ? '' : 's'}`;
  return expander('json', oneLine(JSON.stringify(value)), size, () => JSON.stringify(value, null, 2));
}

/** A button showing a summary; the full text is built on the first expand only (most cells never are). */
function expander(kind: 'str' | 'json', summary: string, size: string, full: () => string, note?: string): HTMLElement {
  const button = el('button', { type: 'button', class: `cell-toggle ${kind}`, 'aria-expanded': 'false', title: 'Click to expand' },
    el('span', { class: 'summary' }, summary),
    el('span', { class: 'size' }, size));
  const wrap = el('div', { class: 'expandable' }, button);
  let detail: HTMLElement | undefined;
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    button.title = open ? 'Click to collapse' : 'Click to expand';
    if (open && !detail) {
      detail = el('pre', { class: `full ${kind}` }, full());
      if (note) detail.append(el('div', { class: 'clipped' }, note));
      wrap.append(detail);
    }
    if (detail) detail.hidden = !open;
  });
  return wrap;
}

function oneLine(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ⏎ ');
  return flat.length > SUMMARY_CHARS ? `${flat.slice(0, SUMMARY_CHARS)}…` : flat;
}
