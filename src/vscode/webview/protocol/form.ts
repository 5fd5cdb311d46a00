import * as z from 'zod/mini';
import { CspViolation, ErrorView, Ready, text } from './common';

/**
 * The connection form's messages, both directions. One rule shapes them: no value of a secret field ever
 * travels from the extension to the webview. The webview sends what the user types; the extension answers
 * with each secret's state ('stored', 'pending', 'none'), never its value.
 */

const Key = z.string().check(z.minLength(1), z.maxLength(100));
/** A field's value as the webview holds it: text (numbers too) or a checkbox. */
export const FieldValue = z.union([text(1_000_000), z.boolean()]);
export const FieldValues = z.record(Key, FieldValue);
export type FieldValues = z.infer<typeof FieldValues>;

/** One field of `BackendModule.form`, without its functions (`validate` and `when` run in the extension). */
export const FieldView = z.object({
  key: Key,
  label: z.string(),
  input: z.enum(['text', 'number', 'choice', 'boolean', 'file']),
  secret: z.boolean(),
  optional: z.boolean(),
  placeholder: z.optional(z.string()),
  hint: z.optional(z.string()),
  choices: z.optional(z.array(z.object({ value: z.string(), label: z.string(), description: z.optional(z.string()) }))),
});
export type FieldView = z.infer<typeof FieldView>;

/** A secret field's state: kept in SecretStorage (edit), taken from a pasted string or a picked file, or empty. */
export const SecretState = z.enum(['stored', 'pending', 'none']);
export type SecretState = z.infer<typeof SecretState>;

export const BackendChoice = z.object({ kind: z.string(), label: z.string(), description: z.string() });

/** The whole form: sent on ready, on a change of backend and after a connection string filled it. */
export const FormView = z.object({
  type: z.literal('form'),
  mode: z.enum(['add', 'edit']),
  backends: z.array(BackendChoice),
  kind: z.string(),
  /** `postgres://user:password@host/database` when the backend takes connection strings. */
  connectionStringExample: z.optional(z.string()),
  fields: z.array(FieldView),
  /** Non-secret values only. */
  values: FieldValues,
  secrets: z.record(Key, SecretState),
  name: z.string(),
});
export type FormView = z.infer<typeof FormView>;

/** The extension's verdict on the values, per field (keys of `fields`, `name`, `connectionString`). */
export const FormValidation = z.object({
  type: z.literal('validation'),
  errors: z.record(Key, z.string()),
  /** A problem that belongs to no one field. */
  formError: z.optional(z.string()),
  /** Keys of the fields to show now (a field's `when` decides). */
  visible: z.array(Key),
  suggestedName: z.string(),
});
export type FormValidation = z.infer<typeof FormValidation>;

/** Test: connected (with the ping's latency and server version), or the coded error. */
export const TestResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), latencyMs: z.optional(z.number()), serverVersion: z.optional(z.string()) }),
  z.object({ ok: z.literal(false), error: ErrorView }),
]);
export type TestResult = z.infer<typeof TestResult>;

export const FormToWebview = z.discriminatedUnion('type', [
  FormView,
  FormValidation,
  /** A picked file for a non-secret field (its path); for a secret one, only that it is now 'pending'. */
  z.object({ type: z.literal('fieldSet'), key: Key, value: z.optional(z.string()), secret: z.optional(SecretState) }),
  z.object({ type: z.literal('busy'), action: z.nullable(z.enum(['test', 'save'])) }),
  z.object({ type: z.literal('tested'), result: TestResult }),
  /** Save failed: the error, and whether saving anyway is on offer (the test failed; the settings are valid). */
  z.object({ type: z.literal('saveFailed'), error: ErrorView, canSaveAnyway: z.boolean() }),
]);
export type FormToWebview = z.infer<typeof FormToWebview>;

const Entered = { values: FieldValues, name: text(200) };

export const FormFromWebview = z.discriminatedUnion('type', [
  Ready,
  z.object({ type: z.literal('kind'), kind: text(100) }),
  z.object({ type: z.literal('change'), ...Entered }),
  /** Fill the form from a connection string (its password goes to the extension's side only). */
  z.object({ type: z.literal('parse'), text: text(10_000), ...Entered }),
  z.object({ type: z.literal('browse'), key: Key }),
  z.object({ type: z.literal('test'), ...Entered }),
  z.object({ type: z.literal('save'), ...Entered, saveAnyway: z.boolean() }),
  /** Stop a test under way. */
  z.object({ type: z.literal('cancel') }),
  CspViolation,
]);
export type FormFromWebview = z.infer<typeof FormFromWebview>;
