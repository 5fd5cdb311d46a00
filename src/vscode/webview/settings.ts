import * as vscode from 'vscode';
import type { PreviewSettings } from './previewService';

/** `plugboard.preview.*`, read now and kept within sane bounds whatever settings.json says. */
export function readPreviewSettings(): PreviewSettings {
  const config = vscode.workspace.getConfiguration('plugboard.preview');
  const int = (key: string, fallback: number, min: number, max: number) => {
    const v = config.get<number>(key, fallback);
    return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.floor(v))) : fallback;
  };
  return {
    pageSize: int('pageSize', 100, 1, 10_000),
    maxEntries: int('cache.maxEntries', 50, 1, 10_000),
    maxBytes: int('cache.maxMegabytes', 20, 1, 1_024) * 1024 * 1024,
    ttlMs: int('cache.ttlSeconds', 300, 0, 86_400) * 1000,
  };
}
