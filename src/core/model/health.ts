import type { ErrorCode } from '../errors';

export type HealthStatus = 'ok' | 'error' | 'unknown';

export interface HealthReport {
  profileId: string;
  status: HealthStatus;
  /** Round trip of the ping in milliseconds, when it succeeded. */
  latencyMs?: number;
  serverVersion?: string;
  checkedAt: string;
  error?: { code: ErrorCode; message: string; hint: string };
}
