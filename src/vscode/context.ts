import * as path from 'node:path';
import * as vscode from 'vscode';
import { HealthMonitor } from '../core/health/monitor';
import type { ConnectionProfile, SchemaModel } from '../core/model';
import { ProfileStore, StateBacking, WorkspaceFileBacking } from '../core/profiles/profileStore';
import { readSecret, type SecretStore } from '../core/profiles/secrets';
import { SessionManager } from '../core/sessions';
import { Log } from './log';
import { VscodeSecretStore } from './secretStore';

/**
 * The services of one extension activation, built once in activate() and handed to every command, the tree,
 * the CodeLens and the status bar. Nothing here is global: tests get the same object through the API.
 */
export class PlugboardContext implements vscode.Disposable {
  readonly log = new Log();
  readonly secrets: SecretStore;
  readonly profiles: ProfileStore;
  readonly sessions: SessionManager;
  readonly health: HealthMonitor;
  /** Introspected models per profile id, shared by the tree and the CodeLens until refreshed. */
  readonly models = new Map<string, Promise<SchemaModel>>();
  private readonly modelListeners = new Set<(profileId: string) => void>();

  constructor(readonly extension: vscode.ExtensionContext) {
    this.secrets = new VscodeSecretStore(extension.secrets);
    const root = workspaceRoot();
    this.profiles = new ProfileStore(root ? new WorkspaceFileBacking(root) : new StateBacking(extension.globalState));
    this.sessions = new SessionManager((p) => readSecret(this.secrets, p.id));
    this.health = new HealthMonitor(this.sessions);
  }

  /** The schema of a profile, introspected once and cached until refresh(). */
  model(profile: ConnectionProfile, progress?: (message: string) => void, signal?: AbortSignal): Promise<SchemaModel> {
    let model = this.models.get(profile.id);
    if (!model) {
      model = (async () => {
        const session = await this.sessions.get(profile, signal);
        return session.introspect(profile.schemas ?? {}, progress, signal);
      })();
      this.models.set(profile.id, model);
      model.catch(() => {
        if (this.models.get(profile.id) === model) this.models.delete(profile.id);
      });
    }
    return model;
  }

  /** Replace the cached model (after codegen introspected afresh) and tell listeners. */
  setModel(profileId: string, model: SchemaModel): void {
    this.models.set(profileId, Promise.resolve(model));
    this.modelListeners.forEach((l) => l(profileId));
  }

  forgetModel(profileId: string): void {
    this.models.delete(profileId);
    this.modelListeners.forEach((l) => l(profileId));
  }

  onDidChangeModel(listener: (profileId: string) => void): vscode.Disposable {
    this.modelListeners.add(listener);
    return new vscode.Disposable(() => this.modelListeners.delete(listener));
  }

  /** Absolute output folder for a profile's generated client. */
  outDir(profile: ConnectionProfile): string {
    const configured = profile.codegen?.outDir ?? path.join('src', 'generated', profile.id);
    const root = workspaceRoot() ?? this.extension.globalStorageUri.fsPath;
    return path.resolve(root, configured);
  }

  dispose(): void {
    void this.sessions.closeAll();
    this.log.dispose();
  }
}

export function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}
