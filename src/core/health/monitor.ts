import type { SessionManager } from '../sessions';
import type { ConnectionProfile, HealthReport } from '../model';
import { classifyError } from './classify';
import { withRetry } from './retry';

/**
 * Health checks: ping through the profile's session, retrying transient failures with backoff and jitter;
 * the last report per profile drives the tree icons and the status bar.
 */
export class HealthMonitor {
  private readonly reports = new Map<string, HealthReport>();
  private readonly listeners = new Set<(report: HealthReport) => void>();

  constructor(private readonly sessions: SessionManager) {}

  last(profileId: string): HealthReport | undefined {
    return this.reports.get(profileId);
  }

  all(): HealthReport[] {
    return [...this.reports.values()];
  }

  onDidChange(listener: (report: HealthReport) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  forget(profileId: string): void {
    this.reports.delete(profileId);
  }

  async check(profile: ConnectionProfile, signal?: AbortSignal): Promise<HealthReport> {
    let report: HealthReport;
    try {
      report = await withRetry(
        async () => (await this.sessions.get(profile, signal)).ping(signal),
        (err) => classifyError(err),
        { attempts: 3, signal },
      );
    } catch (raw) {
      const err = classifyError(raw);
      if (err.code !== 'CANCELLED') await this.sessions.close(profile.id);
      report = { profileId: profile.id, status: 'error', checkedAt: new Date().toISOString(), error: err.toJSON() };
    }
    this.record(report);
    return report;
  }

  record(report: HealthReport): void {
    this.reports.set(report.profileId, report);
    this.listeners.forEach((l) => l(report));
  }
}
