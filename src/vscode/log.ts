import * as vscode from 'vscode';
import { isPlugboardError } from '../core/errors';
import { redactor } from '../core/redact';

/**
 * The one output channel. Every line is tagged with its component and passed through the redactor, so a
 * password that slipped into a driver message never reaches the log.
 */
export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Plugboard', { log: true });

  info(component: string, message: string): void {
    this.channel.info(redactor.redact(`[${component}] ${message}`));
  }

  warn(component: string, message: string): void {
    this.channel.warn(redactor.redact(`[${component}] ${message}`));
  }

  error(component: string, err: unknown): void {
    const text = isPlugboardError(err)
      ? `${err.toDisplayString()}${err.detail ? ` (${err.detail})` : ''}`
      : err instanceof Error
        ? (err.stack ?? err.message)
        : String(err);
    this.channel.error(redactor.redact(`[${component}] ${text}`));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
