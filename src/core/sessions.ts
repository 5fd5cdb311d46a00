import { getAdapter } from '../backends/registry';
import type { Session } from '../backends/adapter';
import type { ConnectionProfile, Secret } from './model';

/**
 * One live session (one connection pool) per profile. Sessions are opened on first use, shared by the tree,
 * codegen, CodeLens and health checks, and closed when idle, when the profile is removed or edited, and on
 * shutdown.
 */
export class SessionManager {
  private readonly sessions = new Map<string, { session: Promise<Session>; timer?: NodeJS.Timeout }>();

  constructor(
    private readonly secretFor: (profile: ConnectionProfile) => Promise<Secret>,
    private readonly idleMs = 5 * 60_000,
  ) {}

  isOpen(profileId: string): boolean {
    return this.sessions.has(profileId);
  }

  async get(profile: ConnectionProfile, signal?: AbortSignal): Promise<Session> {
    let entry = this.sessions.get(profile.id);
    if (!entry) {
      const session = (async () => (await getAdapter(profile.kind)).connect(profile, await this.secretFor(profile), signal))();
      entry = { session };
      this.sessions.set(profile.id, entry);
      session.catch(() => {
        if (this.sessions.get(profile.id) === entry) this.sessions.delete(profile.id);
      });
    }
    this.touch(profile.id);
    return entry.session;
  }

  async close(profileId: string): Promise<void> {
    const entry = this.sessions.get(profileId);
    if (!entry) return;
    this.sessions.delete(profileId);
    if (entry.timer) clearTimeout(entry.timer);
    await entry.session.then((s) => s.close()).catch(() => undefined);
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
