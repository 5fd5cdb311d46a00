import * as vscode from 'vscode';
import type { PlugboardContext } from '../context';
import { register } from '../commands/index';
import { ConnectionForms } from './formCommand';
import { PreviewPanels } from './previewCommand';
import { PreviewService } from './previewService';
import { WebviewCommands } from './ids';
import { readPreviewSettings } from './settings';

/** What the webviews module hands back to activate(): the preview cache's owner, for Refresh and the tests. */
export interface WebviewServices {
  previews: PreviewService;
  /** Drops a profile's cached pages. */
  forgetProfile(profileId: string): void;
}

/**
 * Preview Data and the connection form: their commands, their panels and the preview cache. The cache
 * forgets a profile when its model is forgotten — which is what Refresh, Disconnect, Remove and an edit do —
 * and is rebuilt when its settings change.
 */
export function registerWebviews(ctx: PlugboardContext): WebviewServices {
  const service = new PreviewService(ctx.sessions, ctx.backends, readPreviewSettings());
  const previews = new PreviewPanels(ctx, service, () => readPreviewSettings().pageSize);
  const forms = new ConnectionForms(ctx);
  ctx.extension.subscriptions.push(
    previews,
    forms,
    // Fired when a model is forgotten (Refresh, Disconnect, Remove, Edit: peek() is then empty) and when one
    // is read; a first read is no reason to drop the pages that were just fetched alongside it.
    ctx.schemas.onDidChange((profileId) => {
      if (!ctx.schemas.peek(profileId)) service.forgetProfile(profileId);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('plugboard.preview.cache')) service.configure(readPreviewSettings());
    }),
  );
  register(ctx, WebviewCommands.previewData, (arg?: unknown) => previews.show(arg));
  register(ctx, WebviewCommands.openConnectionForm, (arg?: unknown) => forms.show(arg));
  register(ctx, WebviewCommands.newConnectionForm, () => forms.show(undefined));
  return { previews: service, forgetProfile: (profileId) => service.forgetProfile(profileId) };
}
