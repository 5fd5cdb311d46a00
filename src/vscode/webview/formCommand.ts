import * as vscode from 'vscode';
import { PlugboardError } from '../../core/errors';
import type { ConnectionProfile } from '../../core/model';
import type { PlugboardContext } from '../context';
import type { ConnectionForm } from './connectionForm';

/** The connection form called from code: a backend to start with, or a profile to edit. */
export type FormArgs = { kind?: string } | { profileId: string };

/**
 * "Add Connection (Form)…": one Add form at a time and one form per edited profile, each brought to the
 * front when opened again. Resolves to the form (the tests drive it through its message handler).
 */
export class ConnectionForms implements vscode.Disposable {
  private readonly open = new Map<string, ConnectionForm>();

  constructor(private readonly ctx: PlugboardContext) {}

  async show(arg: unknown): Promise<ConnectionForm> {
    const editing = await this.profileOf(arg);
    const kind = editing?.kind ?? kindOf(arg) ?? this.ctx.backends.list().find((b) => b.form.length)?.kind;
    if (!kind) throw new PlugboardError('NOT_FOUND', 'No backend has a connection form.');
    const backend = this.ctx.backends.get(kind);
    if (!backend.form.length) {
      throw new PlugboardError('INVALID_CONFIG', `${backend.label} connections have a wizard of their own.`, {
        hint: editing ? 'Plugboard: Open Connections File.' : `Plugboard: Add ${backend.label} Connection…`,
      });
    }
    // The form's host (and the zod schemas of its messages) loads with the first form; before the check
    // below, so that two quick calls still share one panel.
    const { ConnectionForm } = await import('./connectionForm');
    const key = editing ? `edit:${editing.id}` : 'add';
    const existing = this.open.get(key);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const form = new ConnectionForm(this.ctx, kind, editing, () => this.open.delete(key));
    this.open.set(key, form);
    return form;
  }

  dispose(): void {
    for (const form of [...this.open.values()]) form.dispose();
  }

  private async profileOf(arg: unknown): Promise<ConnectionProfile | undefined> {
    const a = arg as { profileId?: unknown; type?: unknown; profile?: ConnectionProfile } | undefined;
    if (typeof a !== 'object' || a === null) return undefined;
    if (typeof a.profileId === 'string') return this.ctx.profiles.get(a.profileId);
    // A connection row of the tree (the lead's ConnectionNode).
    if (a.type === 'connection' && a.profile) return this.ctx.profiles.get(a.profile.id);
    return undefined;
  }
}

function kindOf(arg: unknown): string | undefined {
  const kind = (arg as { kind?: unknown } | undefined)?.kind;
  return typeof kind === 'string' ? kind : undefined;
}
