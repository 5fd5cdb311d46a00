import type * as vscode from 'vscode';
import type { SecretStore } from '../core/profiles/secrets';

/** SecretStore backed by VS Code's SecretStorage (the OS keychain). Nothing here is ever logged. */
export class VscodeSecretStore implements SecretStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}
  async get(key: string): Promise<string | undefined> {
    return this.secrets.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    await this.secrets.store(key, value);
  }
  async delete(key: string): Promise<void> {
    await this.secrets.delete(key);
  }
}
