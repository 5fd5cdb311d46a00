import type { BackendModule, FieldSpec } from '../../core/backend';
import type { Secret } from '../../core/model';
import type { FieldValues, FieldView, FormValidation, SecretState } from './protocol/form';

/**
 * The connection form's rules, apart from the editor: which fields a backend's form has, which of them show
 * for the values entered (`when`), what the values mean (numbers, booleans) and what is wrong with them (the
 * same checks as the wizard, then the backend's zod schema). Tested in plain Node.
 */

/** A field as the webview draws it: the spec without its functions. */
export function fieldView(f: FieldSpec): FieldView {
  return {
    key: f.key,
    label: f.label,
    input: f.input,
    secret: !!f.secret,
    optional: !!f.optional,
    placeholder: f.placeholder,
    hint: f.hint,
    choices: f.choices?.map((c) => ({ value: c.value, label: c.label ?? c.value, description: c.description })),
  };
}

/** What the form starts with: the profile's options (edit) or each field's default; never a secret. */
export function initialValues(backend: BackendModule, options: Record<string, unknown> = {}): FieldValues {
  const values: FieldValues = {};
  for (const f of backend.form) {
    if (f.secret) continue;
    const v = options[f.key] ?? f.default;
    if (v === undefined) continue;
    values[f.key] = f.input === 'boolean' ? v === true || v === 'true' : String(v);
  }
  return values;
}

/** The webview's strings and checkboxes as option values: numbers as numbers, empty text as absent. */
export function typedValues(backend: BackendModule, raw: FieldValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of backend.form) {
    const v = raw[f.key];
    if (v === undefined) continue;
    if (f.input === 'boolean') out[f.key] = v === true || v === 'true';
    else if (typeof v === 'string' && v.trim() !== '') out[f.key] = f.input === 'number' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : f.secret ? v : v.trim();
  }
  return out;
}

export function visibleFields(backend: BackendModule, values: Record<string, unknown>): FieldSpec[] {
  return backend.form.filter((f) => !f.when || f.when(values));
}

export interface FormInput {
  raw: FieldValues;
  name: string;
  /** Names of the other connections (a name is unique). */
  otherNames: readonly string[];
  /** Secrets the extension holds for this form: from a pasted string or a picked file. */
  pending: Secret;
  /** Options of the edited profile that the form has no field for (kept as they are). */
  base?: Record<string, unknown>;
}

export interface FormCheck extends Omit<FormValidation, 'type'> {
  /** The profile options to save: undefined for a form field left empty or hidden, so an edit clears it. */
  options: Record<string, unknown>;
  /** Secrets typed now, over the pending ones (the stored ones are merged by the save command). */
  secret: Secret;
  valid: boolean;
}

/** Every check the wizard makes, per field, then the backend's schema over the whole options. */
export function checkForm(backend: BackendModule, input: FormInput): FormCheck {
  const typed = typedValues(backend, input.raw);
  const visible = visibleFields(backend, typed);
  const errors: Record<string, string> = {};
  const options: Record<string, unknown> = { ...(input.base ?? {}) };
  const secret: Secret = { ...input.pending };
  for (const f of backend.form) {
    if (!f.secret) options[f.key] = undefined;
  }
  for (const f of visible) {
    const text = typeof input.raw[f.key] === 'string' ? (input.raw[f.key] as string) : '';
    const entered = f.secret ? text || input.pending[f.key] || '' : text.trim();
    const problem = fieldProblem(f, entered);
    if (problem) errors[f.key] = problem;
    if (f.secret) {
      if (text) secret[f.key] = text;
    } else if (typed[f.key] !== undefined) options[f.key] = typed[f.key];
  }
  let formError: string | undefined;
  const parsed = backend.options.safeParse(definedOnly(options));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
      if (key && visible.some((f) => f.key === key)) errors[key] ??= issue.message;
      else formError ??= `${issue.path.map(String).join('.') || 'options'}: ${issue.message}`;
    }
  }
  const suggestedName = parsed.success ? backend.describe(parsed.data) : backend.label;
  const name = input.name.trim() || suggestedName;
  if (name.length > 200) errors.name = 'A name is at most 200 characters';
  else if (input.otherNames.includes(name)) errors.name = `A connection named "${name}" already exists`;
  for (const key of Object.keys(secret)) if (!visible.some((f) => f.key === key)) delete secret[key];
  return { errors, formError, visible: visible.map((f) => f.key), suggestedName, options, secret, valid: !Object.keys(errors).length && !formError };
}

/** The wizard's rules for one value: required, whole numbers, then the field's own `validate`. */
export function fieldProblem(f: FieldSpec, value: string): string | undefined {
  if (!value) return f.optional || f.secret || f.input === 'boolean' ? undefined : `${f.label} is required`;
  if (f.input === 'number' && !/^\d+$/.test(value)) return `${f.label} is a whole number`;
  if (f.input === 'choice' && f.choices && !f.choices.some((c) => c.value === value)) return `${f.label} must be one of ${f.choices.map((c) => c.value).join(', ')}`;
  return f.validate?.(value);
}

/** Each secret field's state for the webview: what it would save, never the value. */
export function secretStates(backend: BackendModule, stored: Secret, pending: Secret): Record<string, SecretState> {
  const states: Record<string, SecretState> = {};
  for (const f of backend.form) {
    if (f.secret) states[f.key] = pending[f.key] ? 'pending' : stored[f.key] ? 'stored' : 'none';
  }
  return states;
}

export function definedOnly(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}
