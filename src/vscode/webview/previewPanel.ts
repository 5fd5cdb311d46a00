import * as vscode from 'vscode';
import type { EntityRef } from '../../core/backend';
import type { ConnectionProfile, SchemaModel } from '../../core/model';
import type { Log } from '../log';
import { WebviewChannel } from './channel';
import { toErrorView } from './errorView';
import { webviewHtml, webviewOptions } from './html';
import { PreviewFromWebview, PreviewToWebview, type PreviewColumn, type PreviewPageView, type PreviewState } from './protocol/preview';
import type { FetchedPage, PreviewService } from './previewService';

export const PREVIEW_VIEW_TYPE = 'plugboard.preview';

/** Strings longer than this are cut before they cross into the webview (a page of 100 such cells is 100 MB). */
export const MAX_CELL_CHARS = 100_000;

export interface PreviewTarget {
  profile: ConnectionProfile;
  ref: EntityRef;
}

export interface PreviewPanelDeps {
  service: PreviewService;
  log: Log;
  extensionUri: vscode.Uri;
  pageSize: () => number;
  /** The profile's schema model, for the column types in the headers (undefined: headers show names only). */
  model: (profile: ConnectionProfile) => Promise<SchemaModel | undefined>;
}

/**
 * One Preview Data panel per entity. The extension holds the state (page, loading, error) and sends all of
 * it on every change; the webview only draws it, so a panel that was hidden and reloaded shows the same.
 */
export class PreviewPanel implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  readonly channel: WebviewChannel<PreviewFromWebview, PreviewToWebview>;
  private state: PreviewState;
  private loading: AbortController | undefined;
  private current: Promise<void> = Promise.resolve();
  private readonly pageSize: number;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly readyOnce: Promise<void>;
  private disposed = false;

  constructor(
    readonly key: string,
    readonly target: PreviewTarget,
    private readonly deps: PreviewPanelDeps,
    onDispose: () => void,
  ) {
    const { profile, ref } = target;
    this.pageSize = deps.pageSize();
    this.panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, `${ref.entity} · ${profile.name}`, vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    this.state = { type: 'state', title: ref.path ?? ref.entity, subtitle: `${ref.namespace} · ${profile.name}`, loading: false };
    let ready: () => void = () => undefined;
    this.readyOnce = new Promise((resolve) => (ready = resolve));
    this.channel = new WebviewChannel(this.panel.webview, { incoming: PreviewFromWebview, outgoing: PreviewToWebview }, deps.log, 'preview', (m) => {
      if (m.type === 'ready') {
        ready();
        this.channel.post(this.state);
      } else if (m.type === 'load') this.load(m.index, m.fresh);
      else if (m.type === 'cancel') this.loading?.abort();
    });
    this.panel.webview.html = webviewHtml(this.panel.webview, deps.extensionUri, 'preview', this.panel.title);
    this.disposables.push(
      this.channel,
      this.panel.onDidDispose(() => {
        this.disposeInner();
        onDispose();
      }),
    );
    this.load(0, false);
  }

  /** What the webview is showing (or about to). */
  get view(): PreviewState {
    return this.state;
  }

  /** Resolves once the webview's script runs and has asked for the state. */
  ready(): Promise<void> {
    return this.readyOnce;
  }

  /** Resolves when the page asked for last has been shown, or its failure has. */
  async settled(): Promise<PreviewState> {
    let seen: Promise<void> | undefined;
    while (seen !== this.current) {
      seen = this.current;
      await seen;
    }
    return this.state;
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Loads page `index`, cancelling a load under way; the old page stays on screen until the new one comes. */
  load(index: number, fresh: boolean): void {
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    this.update({ loading: true, error: undefined });
    this.current = this.fetch(index, fresh, controller.signal).then(
      (page) => {
        if (this.loading === controller) this.update({ loading: false, page, error: undefined });
      },
      (raw: unknown) => {
        if (this.loading !== controller) return; // superseded by a newer load, which reports for itself
        const error = toErrorView(raw);
        if (error.code !== 'CANCELLED') this.deps.log.error('preview', raw);
        this.update({ loading: false, error });
      },
    );
  }

  private async fetch(index: number, fresh: boolean, signal: AbortSignal): Promise<PreviewPageView> {
    const { profile, ref } = this.target;
    const [fetched, model] = await Promise.all([
      this.deps.service.fetch({ profile, ref, index, pageSize: this.pageSize, fresh }, signal),
      this.deps.model(profile).catch(() => undefined),
    ]);
    return pageView(fetched, index, this.pageSize, columnTypes(model, ref));
  }

  private update(patch: Partial<PreviewState>): void {
    if (this.disposed) return;
    this.state = { ...this.state, ...patch };
    this.channel.post(this.state);
  }

  dispose(): void {
    this.panel.dispose();
  }

  private disposeInner(): void {
    this.disposed = true;
    this.loading?.abort();
    this.disposables.forEach((d) => d.dispose());
  }
}

/** Column name → the field's type in the model (`jsonb`, `timestamptz`); empty when the model lacks the entity. */
export function columnTypes(model: SchemaModel | undefined, ref: EntityRef): Map<string, string> {
  const ns = model?.namespaces.find((n) => n.name === ref.namespace);
  const entity = ns?.entities.find((e) => (ref.path !== undefined ? e.path === ref.path : e.name === ref.entity));
  return new Map((entity?.fields ?? []).map((f) => [f.name, f.nativeType]));
}

/** The page as the webview gets it: types in the headers, strings cut to MAX_CELL_CHARS (and said so). */
export function pageView(fetched: FetchedPage, index: number, pageSize: number, types: Map<string, string>): PreviewPageView {
  const { page, fromCache } = fetched;
  const clipped: PreviewPageView['clipped'] = [];
  const rows = page.rows.map((row, r) =>
    row.map((cell, c) => {
      if (typeof cell !== 'string' || cell.length <= MAX_CELL_CHARS) return cell;
      clipped.push({ row: r, column: c, length: cell.length });
      return cell.slice(0, MAX_CELL_CHARS);
    }),
  );
  const columns: PreviewColumn[] = page.columns.map((name) => ({ name, type: types.get(name) }));
  return { index, offset: page.offset, pageSize, columns, rows: rows as PreviewPageView['rows'], hasMore: page.hasMore, clipped, fromCache };
}
