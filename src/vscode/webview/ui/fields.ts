import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-form-group/index.js';
import '@vscode-elements/elements/dist/vscode-form-helper/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { FieldView, SecretState } from '../protocol/form';
import { el } from './bridge';

/** One drawn field: its group (label, input, hint, error), how to read it and how to mark it. */
export interface FieldControl {
  field: FieldView;
  group: HTMLElement;
  read(): string | boolean;
  setError(message: string | undefined): void;
  /** A value the extension set (a picked file's path). */
  setValue(value: string): void;
  setSecretState(state: SecretState): void;
}

const SECRET_PLACEHOLDERS: Record<SecretState, string | undefined> = {
  stored: 'Stored in your OS keychain — leave empty to keep it',
  pending: 'Taken from what you pasted or picked — type to replace it',
  none: undefined,
};

/**
 * A field of the backend's form as vscode-elements controls: text, number and file inputs are textfields
 * (masked for secrets, with Browse… for files), choices a single-select, booleans a checkbox.
 */
export function fieldControl(field: FieldView, value: string | boolean | undefined, secret: SecretState, onInput: () => void, onBrowse: () => void): FieldControl {
  const id = `field-${field.key}`;
  const error = el('div', { class: 'field-error', role: 'alert', id: `${id}-error` });
  error.hidden = true;
  const label = el('vscode-label', { for: id, required: !field.optional && !field.secret && field.input !== 'boolean' }, field.label);
  const hint = field.hint ? [el('vscode-form-helper', {}, field.hint)] : [];
  let read: () => string | boolean;
  let input: HTMLElement;
  let setValue = (_v: string) => undefined as void;
  let setSecretState = (_s: SecretState) => undefined as void;

  if (field.input === 'choice') {
    const select = el('vscode-single-select', { id, name: field.key });
    for (const c of field.choices ?? []) {
      const option = el('vscode-option', { value: c.value, description: c.description ?? '' }, c.label);
      option.selected = c.value === value;
      select.append(option);
    }
    if (typeof value === 'string') select.value = value;
    select.addEventListener('change', onInput);
    read = () => select.value;
    input = select;
  } else if (field.input === 'boolean') {
    const box = el('vscode-checkbox', { id, name: field.key, label: field.label });
    box.checked = value === true;
    box.addEventListener('change', onInput);
    read = () => box.checked;
    input = box;
  } else {
    const text = el('vscode-textfield', { id, name: field.key, 'aria-describedby': `${id}-error` });
    text.type = field.secret ? 'password' : field.input === 'number' ? 'number' : 'text';
    text.value = field.secret || value === undefined ? '' : String(value);
    text.placeholder = (field.secret ? SECRET_PLACEHOLDERS[secret] : undefined) ?? field.placeholder ?? '';
    text.addEventListener('input', onInput);
    read = () => text.value;
    setValue = (v) => {
      text.value = v;
    };
    setSecretState = (s) => {
      text.value = '';
      text.placeholder = SECRET_PLACEHOLDERS[s] ?? field.placeholder ?? '';
    };
    input = text;
    if (field.input === 'file') {
      const browse = el('vscode-button', { secondary: true, class: 'browse' }, 'Browse…');
      browse.addEventListener('click', onBrowse);
      input = el('div', { class: 'with-button' }, text, browse);
    }
  }

  const group = el('vscode-form-group', { variant: 'horizontal', class: 'field', 'data-key': field.key }, ...(field.input === 'boolean' ? [] : [label]), input, ...hint, error);
  return {
    field,
    group,
    read,
    setValue,
    setSecretState,
    setError(message) {
      error.textContent = message ?? '';
      error.hidden = !message;
      const target = group.querySelector<HTMLElement & { invalid?: boolean }>(`#${CSS.escape(id)}`);
      if (target) target.invalid = !!message;
    },
  };
}
