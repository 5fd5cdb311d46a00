import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { FormFromWebview, FormToWebview, type FieldValues, type FormValidation, type FormView, type TestResult } from '../protocol/form';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import type { ErrorView } from '../protocol/common';
import { el, openChannel } from './bridge';
import { fieldControl, type FieldControl } from './fields';

/**
 * The connection form's page. The extension sends the form (backend, fields, non-secret values, each
 * secret's state) and its verdict on every change; this page draws them, sends what is typed (debounced)
 * and the button presses. Validation, the test and saving all happen in the extension.
 */
const app = document.getElementById('app')!;
let view: FormView | undefined;
let controls: FieldControl[] = [];
let nameInput: VscodeTextfield | undefined;
let nameError: HTMLElement | undefined;
let stringInput: VscodeTextfield | undefined;
let stringError: HTMLElement | undefined;
const formError = el('div', { class: 'form-error', role: 'alert' });
const result = el('section', { class: 'result', role: 'status', 'aria-live': 'polite' });
const busy = el('div', { class: 'busy' }, el('vscode-progress-ring'), el('span', { class: 'busy-text' }));
const testButton = el('vscode-button', { secondary: true, id: 'test' }, 'Test');
const saveButton = el('vscode-button', { id: 'save' }, 'Save');
const cancelButton = el('vscode-button', { secondary: true, id: 'cancel' }, 'Cancel test');
busy.hidden = true;
cancelButton.hidden = true;

const send = openChannel({ incoming: FormToWebview, outgoing: FormFromWebview }, (m) => {
  if (m.type === 'form') drawForm(m);
  else if (m.type === 'validation') drawValidation(m);
  else if (m.type === 'fieldSet') {
    const control = controls.find((c) => c.field.key === m.key);
    if (m.value !== undefined) control?.setValue(m.value);
    if (m.secret) control?.setSecretState(m.secret);
  } else if (m.type === 'busy') drawBusy(m.action);
  else if (m.type === 'tested') drawTested(m.result);
  else if (m.type === 'saveFailed') drawSaveFailed(m.error, m.canSaveAnyway);
});

let timer: ReturnType<typeof setTimeout> | undefined;
/** Typing sends the values after a pause; a button press sends them at once (and cancels the pause). */
function changed(): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => send({ type: 'change', ...entered() }), 200);
}
function entered(): { values: FieldValues; name: string } {
  if (timer) clearTimeout(timer);
  timer = undefined;
  return { values: Object.fromEntries(controls.map((c) => [c.field.key, c.read()])), name: nameInput?.value ?? '' };
}

testButton.addEventListener('click', () => send({ type: 'test', ...entered() }));
saveButton.addEventListener('click', () => send({ type: 'save', ...entered(), saveAnyway: false }));
cancelButton.addEventListener('click', () => send({ type: 'cancel' }));
send({ type: 'ready' });

function drawForm(v: FormView): void {
  view = v;
  const editing = v.mode === 'edit';
  const kinds = el('vscode-single-select', { id: 'kind', disabled: editing });
  for (const b of v.backends) {
    const option = el('vscode-option', { value: b.kind, description: b.description }, b.label);
    option.selected = b.kind === v.kind;
    kinds.append(option);
  }
  kinds.value = v.kind;
  kinds.addEventListener('change', () => send({ type: 'kind', kind: kinds.value }));
  const parts: Node[] = [
    el('h1', {}, editing ? `Edit ${v.name}` : 'Add Connection'),
    el('vscode-form-group', { variant: 'horizontal' }, el('vscode-label', { for: 'kind' }, 'Connect to'), kinds),
  ];
  // A fill redraws the form: the pasted text (and the password in it) leaves the page with the old input.
  stringInput = stringError = undefined;
  if (v.connectionStringExample) parts.push(connectionStringGroup(v.connectionStringExample));
  parts.push(el('vscode-divider'));
  controls = v.fields.map((f) => fieldControl(f, v.values[f.key], v.secrets[f.key] ?? 'none', changed, () => send({ type: 'browse', key: f.key })));
  parts.push(...controls.map((c) => c.group));
  nameInput = el('vscode-textfield', { id: 'name', 'aria-describedby': 'name-error' });
  nameInput.value = v.name;
  nameInput.addEventListener('input', changed);
  nameError = el('div', { class: 'field-error', role: 'alert', id: 'name-error' });
  nameError.hidden = true;
  parts.push(el('vscode-form-group', { variant: 'horizontal' }, el('vscode-label', { for: 'name' }, 'Connection name'), nameInput,
    el('vscode-form-helper', {}, 'How the connection is listed; leave empty for the suggestion.'), nameError));
  parts.push(formError, el('div', { class: 'actions' }, testButton, saveButton, cancelButton, busy), result);
  app.replaceChildren(...parts);
  app.setAttribute('aria-busy', 'false');
  result.replaceChildren();
}

function connectionStringGroup(example: string): HTMLElement {
  const input = el('vscode-textfield', { id: 'connection-string', 'aria-describedby': 'connection-string-error' });
  input.type = 'password';
  input.placeholder = example;
  const fill = el('vscode-button', { secondary: true, id: 'fill' }, 'Fill the form');
  const error = el('div', { class: 'field-error', role: 'alert', id: 'connection-string-error' });
  error.hidden = true;
  fill.addEventListener('click', () => input.value.trim() && send({ type: 'parse', text: input.value, ...entered() }));
  stringInput = input;
  stringError = error;
  return el('vscode-form-group', { variant: 'horizontal' },
    el('vscode-label', { for: 'connection-string' }, 'Paste a connection string (optional)'),
    el('div', { class: 'with-button' }, input, fill),
    el('vscode-form-helper', {}, 'Masked as you paste. Its password goes to the password field below, kept by the extension, never shown.'),
    error);
}

function drawValidation(v: FormValidation): void {
  const visible = new Set(v.visible);
  for (const c of controls) {
    c.group.hidden = !visible.has(c.field.key);
    c.setError(v.errors[c.field.key]);
  }
  if (nameInput && nameError) {
    nameInput.placeholder = v.suggestedName;
    nameInput.invalid = !!v.errors.name;
    nameError.textContent = v.errors.name ?? '';
    nameError.hidden = !v.errors.name;
  }
  if (stringInput && stringError) {
    stringInput.invalid = !!v.errors.connectionString;
    stringError.textContent = v.errors.connectionString ?? '';
    stringError.hidden = !v.errors.connectionString;
  }
  formError.textContent = v.formError ?? '';
  formError.hidden = !v.formError;
}

function drawBusy(action: 'test' | 'save' | null): void {
  busy.hidden = action === null;
  busy.querySelector('.busy-text')!.textContent = action === 'test' ? 'Testing the connection…' : action === 'save' ? 'Testing and saving…' : '';
  testButton.disabled = saveButton.disabled = action !== null;
  cancelButton.hidden = action !== 'test';
  if (action) result.replaceChildren();
}

function drawTested(r: TestResult): void {
  if (r.ok) {
    const latency = r.latencyMs === undefined ? '' : ` in ${r.latencyMs} ms`;
    result.replaceChildren(el('div', { class: 'ok' }, `Connected${latency}.`), ...(r.serverVersion ? [el('div', { class: 'version' }, r.serverVersion)] : []));
  } else result.replaceChildren(errorBlock(r.error));
}

function drawSaveFailed(error: ErrorView, canSaveAnyway: boolean): void {
  const parts: Node[] = [errorBlock(error)];
  if (canSaveAnyway && view) {
    const anyway = el('vscode-button', { secondary: true, id: 'save-anyway' }, 'Save anyway');
    anyway.addEventListener('click', () => send({ type: 'save', ...entered(), saveAnyway: true }));
    parts.push(el('div', { class: 'actions' }, anyway));
  }
  result.replaceChildren(...parts);
}

function errorBlock(error: ErrorView): HTMLElement {
  return el('div', { class: 'error' }, el('div', { class: 'error-head' }, el('span', { class: 'code' }, error.code), el('span', { class: 'message' }, error.message)),
    ...(error.hint ? [el('div', { class: 'hint' }, error.hint)] : []));
}
