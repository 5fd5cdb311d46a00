import type { HostServices, Session } from './backend';
import type { BackendCatalog } from './catalog';
import { withDeadline } from './deadline';
import type { ConnectionProfile, Secret } from './model';

/** Opens a session for a profile: the backend's driver, the profile's secret, the host's services. */
export type Connector = (profile: ConnectionProfile, signal?: AbortSignal) => Promise<Session>;

export function connectorFor(backends: BackendCatalog, secretFor: (profile: ConnectionProfile) => Promise<Secret>, host: Omit<HostServices, 'signal'>): Connector {
  return async (profile, signal) => {
    const driver = await backends.driver(profile.kind);
    return driver.connect(profile, await secretFor(profile), { ...host, signal });
  };
}

/** How long closing a session may take before its connections are abandoned. */
export const CLOSE_DEADLINE_MS = 5_000;

/** Closes a session within the deadline; a stalled server never keeps the caller (or the CLI) waiting. */
export function closeSession(session: Session): Promise<void> {
  return withDeadline(session.close(), CLOSE_DEADLINE_MS, 'Closing the connection').catch(() => undefined);
}

/**
 * One live session (one connection pool) per profile. Sessions are opened on first use, shared by the tree,
 * codegen, CodeLens and health checks, and closed when idle, when the profile is removed or edited, and on
 * shutdown.
 */
export class SessionManager {
  private readonly sessions = new Map<string, { session: Promise<Session>; timer?: NodeJS.Timeout }>();
  private readonly listeners = new Set<(profileId: string, open: boolean) => void>();

  constructor(
    private readonly connect: Connector,
    private readonly idleMs = 5 * 60_000,
  ) {}

  isOpen(profileId: string): boolean {
    return this.sessions.has(profileId);
  }

  /** Told when a profile's session opens or closes (the tree's connected/disconnected state). */
  onDidChange(listener: (profileId: string, open: boolean) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async get(profile: ConnectionProfile, signal?: AbortSignal): Promise<Session> {
    let entry = this.sessions.get(profile.id);
    if (!entry) {
      const session = this.connect(profile, signal);
      entry = { session };
      this.sessions.set(profile.id, entry);
      const mine = entry;
      session.then(
        () => this.listeners.forEach((l) => l(profile.id, true)),
        () => {
          if (this.sessions.get(profile.id) === mine) this.sessions.delete(profile.id);
        },
      );
    }
    this.touch(profile.id);
    return entry.session;
  }

  async close(profileId: string): Promise<void> {
    const entry = this.sessions.get(profileId);
    if (!entry) return;
    this.sessions.delete(profileId);
    if (entry.timer) clearTimeout(entry.timer);
    // A connect still under way is not waited for beyond the close deadline (the driver bounds it with its own
    // timeouts); if it succeeds later, that session is closed then.
    const opened = entry.session.then((s) => s, () => undefined);
    const session = await withDeadline(opened, CLOSE_DEADLINE_MS, 'Connecting').catch(() => {
      void opened.then((late) => late && closeSession(late));
      return undefined;
    });
    if (session) await closeSession(session);
    this.listeners.forEach((l) => l(profileId, false));
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
  }

  private touch(profileId: string): void {
    const entry = this.sessions.get(profileId);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => void this.close(profileId), this.idleMs);
    entry.timer.unref?.();
  }
}
