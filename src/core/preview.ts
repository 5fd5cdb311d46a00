/**
 * Preview Data's values and cache. Drivers hand back their own value types (Date, Buffer, bigint, BSON
 * classes); `toPreviewCell` makes each one JSON-safe and readable for the grid. `PreviewCache` is the query
 * cache of the seeds: an LRU of pages per profile and entity, bounded by entries, bytes and age, dropped when
 * the profile is refreshed.
 */
const MAX_BYTES_SHOWN = 64;

export function toPreviewCell(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof Uint8Array) {
    const hex = Buffer.from(value.subarray(0, MAX_BYTES_SHOWN)).toString('hex');
    return `\\x${hex}${value.length > MAX_BYTES_SHOWN ? `… (${value.length} bytes)` : ''}`;
  }
  if (depth > 16) return '…';
  if (Array.isArray(value)) return value.map((v) => toPreviewCell(v, depth + 1));
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return toPreviewCell(withJson.toJSON(), depth + 1);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = toPreviewCell(v, depth + 1);
    return out;
  }
  return String(value);
}

export interface PreviewCacheOptions {
  maxEntries: number;
  maxBytes: number;
  ttlMs: number;
  now?: () => number;
}

interface Entry<T> {
  value: T;
  bytes: number;
  at: number;
}

export class PreviewCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private bytes = 0;

  constructor(private readonly opts: PreviewCacheOptions) {}

  static key(profileId: string, parts: readonly (string | number)[]): string {
    return JSON.stringify([profileId, ...parts]);
  }

  get(key: string): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if ((this.opts.now ?? Date.now)() - e.at > this.opts.ttlMs) {
      this.delete(key);
      return undefined;
    }
    // Most recently used goes last.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  set(key: string, value: T, bytes: number): void {
    this.delete(key);
    if (bytes > this.opts.maxBytes) return;
    this.entries.set(key, { value, bytes, at: (this.opts.now ?? Date.now)() });
    this.bytes += bytes;
    for (const [k] of this.entries) {
      if (this.entries.size <= this.opts.maxEntries && this.bytes <= this.opts.maxBytes) break;
      this.delete(k);
    }
  }

  /** Drops every page of a profile (Refresh, Disconnect, Remove). */
  forgetProfile(profileId: string): void {
    const prefix = JSON.stringify([profileId]).slice(0, -1);
    for (const k of [...this.entries.keys()]) if (k.startsWith(`${prefix},`) || k === `${prefix}]`) this.delete(k);
  }

  get size(): number {
    return this.entries.size;
  }

  private delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.bytes -= e.bytes;
    this.entries.delete(key);
  }
}
