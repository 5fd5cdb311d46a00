import * as vscode from 'vscode';
import type { FieldSpec } from '../core/backend';

/**
 * A multi-step quick input: each step shows the wizard's title, "step n of m" and a Back button; Back returns
 * to the previous step with what was typed there still filled in; Escape ends the wizard (undefined).
 * Steps are functions so later ones can depend on earlier answers.
 */
export type Step<S> = (state: S, input: WizardInput) => Promise<StepResult>;
/** 'skip': the step does not apply now; the wizard keeps going the way it was going (forward or back). */
export type StepResult = 'next' | 'back' | 'skip' | 'cancel';

export class WizardInput {
  constructor(
    readonly title: string,
    private readonly position: () => { step: number; total: number },
  ) {}

  /** Asks for text; resolves to the value, 'back' or undefined (cancelled). */
  text(opts: { prompt: string; value?: string; placeholder?: string; password?: boolean; validate?: (v: string) => string | vscode.InputBoxValidationMessage | undefined }): Promise<string | 'back' | undefined> {
    const box = vscode.window.createInputBox();
    const { step, total } = this.position();
    Object.assign(box, { title: this.title, step, totalSteps: total, prompt: opts.prompt, value: opts.value ?? '', placeholder: opts.placeholder, password: !!opts.password, ignoreFocusOut: true });
    box.buttons = step > 1 ? [vscode.QuickInputButtons.Back] : [];
    return new Promise((resolve) => {
      const done = (v: string | 'back' | undefined) => {
        subs.forEach((d) => d.dispose());
        box.dispose();
        resolve(v);
      };
      const check = (v: string) => {
        const problem = opts.validate?.(v);
        box.validationMessage = problem;
        return typeof problem === 'string' ? false : !problem || problem.severity !== vscode.InputBoxValidationSeverity.Error;
      };
      const subs = [
        box.onDidChangeValue((v) => void check(v)),
        box.onDidAccept(() => {
          if (check(box.value)) done(box.value);
        }),
        box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && done('back')),
        box.onDidHide(() => done(undefined)),
      ];
      if (opts.value) check(opts.value);
      box.show();
    });
  }

  /** Asks for one of `items`; the active item is the one marked `picked` (Enter accepts it). */
  pick<T extends vscode.QuickPickItem>(opts: { placeholder: string; items: readonly T[]; matchOnDescription?: boolean }): Promise<T | 'back' | undefined> {
    const qp = vscode.window.createQuickPick<T>();
    const { step, total } = this.position();
    Object.assign(qp, { title: this.title, step, totalSteps: total, placeholder: opts.placeholder, ignoreFocusOut: true, matchOnDescription: !!opts.matchOnDescription, matchOnDetail: true });
    qp.items = opts.items;
    const active = opts.items.find((i) => i.picked);
    if (active) qp.activeItems = [active];
    qp.buttons = step > 1 ? [vscode.QuickInputButtons.Back] : [];
    return new Promise((resolve) => {
      const done = (v: T | 'back' | undefined) => {
        subs.forEach((d) => d.dispose());
        qp.dispose();
        resolve(v);
      };
      const subs = [
        qp.onDidAccept(() => done(qp.activeItems[0])),
        qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && done('back')),
        qp.onDidHide(() => done(undefined)),
      ];
      qp.show();
    });
  }
}

/** Runs the steps in order, going back on 'back'; true when every step finished, false when cancelled. */
export async function runWizard<S>(title: string, state: S, steps: readonly Step<S>[]): Promise<boolean> {
  let i = 0;
  let backwards = false;
  const input = new WizardInput(title, () => ({ step: i + 1, total: steps.length }));
  while (i < steps.length) {
    const r = await steps[i]!(state, input);
    if (r === 'cancel') return false;
    if (r !== 'skip') backwards = r === 'back';
    if (backwards && i === 0) backwards = false; // nothing before the first step: ask it again
    else i += backwards ? -1 : 1;
  }
  return true;
}

/** A wizard step asking for one field of a backend's form, into `values` (options and secrets alike). */
export function fieldStep(field: FieldSpec, values: Record<string, unknown>, opts: { editing: boolean }): Step<unknown> {
  return async (_state, input) => {
    if (field.when && !field.when(values)) return 'skip';
    const current = values[field.key] ?? (field.secret ? undefined : field.default);
    if (field.input === 'choice' || field.input === 'boolean') {
      const choices = field.input === 'boolean' ? [{ value: 'true', label: 'Yes' }, { value: 'false', label: 'No' }] : (field.choices ?? []);
      const chosen = String(current ?? '');
      const picked = await input.pick({
        placeholder: `${field.label}${field.hint ? ` — ${field.hint}` : ''}`,
        items: choices.map((c) => ({ label: c.label ?? c.value, description: c.description, value: c.value, picked: c.value === chosen })),
      });
      if (picked === undefined) return 'cancel';
      if (picked === 'back') return 'back';
      values[field.key] = field.input === 'boolean' ? picked.value === 'true' : picked.value;
      return 'next';
    }
    const keep = field.secret && opts.editing ? ' (leave empty to keep the stored one)' : '';
    const answer = await input.text({
      prompt: `${field.label}${field.optional ? ' (optional)' : ''}${keep}${field.hint ? ` — ${field.hint}` : ''}`,
      value: field.secret ? '' : current === undefined ? '' : String(current),
      placeholder: field.placeholder,
      password: field.secret,
      validate: (v) => {
        if (!v.trim()) return field.optional || field.secret ? undefined : `${field.label} is required`;
        if (field.input === 'number' && !/^\d+$/.test(v.trim())) return `${field.label} is a whole number`;
        return field.validate?.(v.trim());
      },
    });
    if (answer === undefined) return 'cancel';
    if (answer === 'back') return 'back';
    const v = answer.trim();
    if (!v) delete values[field.key];
    else values[field.key] = field.input === 'number' ? Number(v) : v;
    return 'next';
  };
}
