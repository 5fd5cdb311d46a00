import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BackendModule, HostServices, ProviderLookup } from '../core/backend';
import { BackendCatalog } from '../core/catalog';
import { HealthMonitor } from '../core/health/monitor';
import type { ConnectionProfile } from '../core/model';
import { ProfileStore, StateBacking, WorkspaceFileBacking } from '../core/profiles/profileStore';
import { readSecret, type SecretStore } from '../core/profiles/secrets';
import { SchemaService } from '../core/schemaService';
import { connectorFor, SessionManager } from '../core/sessions';
import { CommandTable } from './commands/index';
import { Log } from './log';
import { OverridesService } from './overrides/service';
import { VscodeSecretStore } from './secretStore';

/**
 * The services of one extension activation, built once in activate() and handed to every command, the tree,
 * the CodeLens and the status bar. Nothing here is global: tests get the same object through the API.
 */
export class PlugboardContext implements vscode.Disposable {
  readonly log = new Log();
  /** Every plugboard.* command; their modules load on first use. */
  readonly commands: CommandTable = new CommandTable(this);
  readonly secrets: SecretStore;
  readonly backends: BackendCatalog;
  readonly profiles: ProfileStore;
  readonly sessions: SessionManager;
  readonly schemas: SchemaService;
  readonly health: HealthMonitor;
  /** Each connection's overrides file: read, watched, and its stale entries in the Problems panel. */
  readonly overrides: OverridesService;
  /** What drivers get from the editor: the log, SecretStorage, fetch and REST provider definitions. */
  readonly host: Omit<HostServices, 'signal'>;
  private providerLookup: ProviderLookup = { get: () => undefined };

  constructor(
    readonly extension: vscode.ExtensionContext,
    backends: readonly BackendModule<object>[],
  ) {
    this.secrets = new VscodeSecretStore(extension.secrets);
    this.backends = new BackendCatalog(backends);
    const root = workspaceRoot();
    this.profiles = new ProfileStore(root ? new WorkspaceFileBacking(root) : new StateBacking(extension.globalState), this.backends);
    this.host = {
      log: (line) => this.log.info('backend', line),
      secrets: this.secrets,
      fetch: (input, init) => globalThis.fetch(input, init),
      providers: { get: (id) => this.providerLookup.get(id) },
      timeoutMs: 15_000,
    };
    this.sessions = new SessionManager(connectorFor(this.backends, (p) => readSecret(this.secrets, p.id), this.host));
    this.schemas = new SchemaService(this.backends, this.sessions, { sliced: true });
    this.health = new HealthMonitor(this.sessions);
    this.overrides = new OverridesService(this);
  }

  /** REST provider definitions, once the provider registry exists (it loads its folders in the background). */
  setProviders(lookup: ProviderLookup): void {
    this.providerLookup = lookup;
  }

  backendOf(profile: Pick<ConnectionProfile, 'kind'>): BackendModule {
    return this.backends.get(profile.kind);
  }

  /** Absolute output folder for a profile's generated client. */
  outDir(profile: ConnectionProfile): string {
    const configured = profile.codegen?.outDir ?? path.join('src', 'generated', profile.id);
    const root = workspaceRoot() ?? this.extension.globalStorageUri.fsPath;
    return path.resolve(root, configured);
  }

  dispose(): void {
    this.overrides.dispose();
    void this.sessions.closeAll().then(() => this.backends.disposeAll());
    this.log.dispose();
  }
}

export function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}
