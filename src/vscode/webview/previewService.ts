import type { EntityRef, PreviewPage } from '../../core/backend';
import type { BackendCatalog } from '../../core/catalog';
import { withDeadline } from '../../core/deadline';
import { PlugboardError, throwIfAborted } from '../../core/errors';
import type { ConnectionProfile } from '../../core/model';
import { PreviewCache } from '../../core/preview';
import type { SessionManager } from '../../core/sessions';

/** The `plugboard.preview.*` settings, in the units the service uses. */
export interface PreviewSettings {
  pageSize: number;
  maxEntries: number;
  maxBytes: number;
  ttlMs: number;
}

export const DEFAULT_PREVIEW_SETTINGS: PreviewSettings = { pageSize: 100, maxEntries: 50, maxBytes: 20 * 1024 * 1024, ttlMs: 300_000 };

export interface PageRequest {
  profile: ConnectionProfile;
  ref: EntityRef;
  /** 0-based. */
  index: number;
  pageSize: number;
  /** Skip the cache (Reload); the fresh page replaces the cached one. */
  fresh?: boolean;
}

export interface FetchedPage {
  page: PreviewPage;
  fromCache: boolean;
}

/**
 * Pages of an entity's rows for Preview Data, through the profile's shared session, cached per profile,
 * entity, page size and page in the seeds' query cache. It knows nothing of the editor (settings come in
 * through `configure`), so it is tested in plain Node against a real server.
 */
export class PreviewService {
  private cache: PreviewCache<PreviewPage>;
  /** The page most recently handed out, for the extension-host tests. */
  lastPage: (FetchedPage & { key: string }) | undefined;

  constructor(
    private readonly sessions: Pick<SessionManager, 'get'>,
    private readonly backends: Pick<BackendCatalog, 'get'>,
    settings: PreviewSettings = DEFAULT_PREVIEW_SETTINGS,
    /** How long one page may take before it is cancelled and reported as a timeout. */
    private readonly deadlineMs = 60_000,
  ) {
    this.cache = new PreviewCache(cacheOptions(settings));
  }

  /** New limits apply from now on; what was cached under the old ones is dropped with them. */
  configure(settings: PreviewSettings): void {
    this.cache = new PreviewCache(cacheOptions(settings));
  }

  async fetch(req: PageRequest, signal?: AbortSignal): Promise<FetchedPage> {
    const backend = this.backends.get(req.profile.kind);
    if (!backend.capabilities.preview) {
      throw new PlugboardError('INVALID_CONFIG', `${backend.label} connections cannot preview data.`, {
        hint: 'Preview Data works for backends that can read rows (PostgreSQL, for instance).',
      });
    }
    const key = PreviewService.key(req);
    const cached = req.fresh ? undefined : this.cache.get(key);
    if (cached) return this.hand({ page: cached, fromCache: true }, key);
    throwIfAborted(signal);
    const session = await this.sessions.get(req.profile, signal);
    if (!session.preview) throw new PlugboardError('INVALID_CONFIG', `The ${backend.label} driver cannot preview data.`);
    // The deadline aborts the query itself (pg sends a CancelRequest), not just our wait for it.
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const what = `Reading rows of ${req.ref.namespace}.${req.ref.entity}`;
      const page = await withDeadline(session.preview(req.ref, { limit: req.pageSize, offset: req.index * req.pageSize }, controller.signal), this.deadlineMs, what, () => controller.abort());
      throwIfAborted(signal);
      this.cache.set(key, page, Buffer.byteLength(JSON.stringify(page)));
      return this.hand({ page, fromCache: false }, key);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Drops every cached page of a profile: Refresh, Disconnect and Remove reach here through the model's change event. */
  forgetProfile(profileId: string): void {
    this.cache.forgetProfile(profileId);
  }

  get cachedPages(): number {
    return this.cache.size;
  }

  static key(req: Pick<PageRequest, 'profile' | 'ref' | 'index' | 'pageSize'>): string {
    return PreviewCache.key(req.profile.id, [req.ref.namespace, req.ref.entity, req.ref.path ?? '', req.pageSize, req.index]);
  }

  private hand(fetched: FetchedPage, key: string): FetchedPage {
    this.lastPage = { ...fetched, key };
    return fetched;
  }
}

function cacheOptions(s: PreviewSettings) {
  return { maxEntries: s.maxEntries, maxBytes: s.maxBytes, ttlMs: s.ttlMs };
}
