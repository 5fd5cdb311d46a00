import * as vscode from 'vscode';
import type { Log } from '../log';
import type { MessageSchema } from './protocol/common';

/** How many posted messages a channel remembers, for the extension-host tests to read. */
const KEPT = 50;

/**
 * The extension's end of a webview's message channel. Whatever arrives is checked against the protocol's
 * zod schema before a handler sees it (a webview is another process running untrusted data); what leaves
 * is checked too, so a message the webview would reject fails here, in the extension's log, first.
 */
export class WebviewChannel<In extends { type: string }, Out> implements vscode.Disposable {
  /** The last messages posted, oldest first. */
  readonly sent: Out[] = [];
  /** What the webview's Content-Security-Policy blocked, as it reported it: should stay empty. */
  readonly cspViolations: string[] = [];
  private readonly subscription: vscode.Disposable;
  private disposed = false;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly schemas: { incoming: MessageSchema<In>; outgoing: MessageSchema<Out> },
    private readonly log: Log,
    private readonly component: string,
    private readonly handler: (message: In) => Promise<void> | void,
  ) {
    this.subscription = webview.onDidReceiveMessage((raw: unknown) => this.receive(raw));
  }

  /**
   * The one way in: a message from the webview, or from a test standing in for it. CSP reports are logged
   * here; anything malformed is logged and dropped.
   */
  async receive(raw: unknown): Promise<void> {
    const parsed = this.schemas.incoming.safeParse(raw);
    if (!parsed.success) {
      this.log.warn(this.component, `Ignored a malformed message from the webview: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'cspViolation') {
      const { directive, blocked } = message as unknown as { directive: string; blocked: string };
      this.cspViolations.push(`${directive}: ${blocked}`);
      this.log.warn(this.component, `The webview's Content-Security-Policy blocked ${blocked} (${directive})`);
      return;
    }
    try {
      await this.handler(message);
    } catch (err) {
      this.log.error(this.component, err);
    }
  }

  /** Checked, remembered and posted; a no-op once the panel is gone (a late answer has no one to go to). */
  post(message: Out): void {
    if (this.disposed) return;
    const checked = this.schemas.outgoing.parse(message);
    this.sent.push(checked);
    if (this.sent.length > KEPT) this.sent.shift();
    void this.webview.postMessage(checked);
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
  }
}
