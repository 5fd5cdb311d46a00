import type { BackendCatalog } from '../../core/catalog';
import type { HostServices, Session } from '../../core/backend';
import { withDeadline } from '../../core/deadline';
import { cancelled } from '../../core/errors';
import type { ConnectionProfile, Secret } from '../../core/model';
import { redactor } from '../../core/redact';
import { closeSession } from '../../core/sessions';
import { toErrorView } from './errorView';
import type { TestResult } from './protocol/form';

/**
 * The form's Test button: connect and ping on a fresh session of its own (never the shared one of a saved
 * profile), each step under the host's deadline, then close. The result is the ping's latency and server
 * version or the coded error, redacted. A session that connects after its deadline is closed, not leaked.
 */
export async function testSettings(
  backends: Pick<BackendCatalog, 'driver'>,
  host: Omit<HostServices, 'signal'>,
  profile: ConnectionProfile,
  secret: Secret,
  signal: AbortSignal,
): Promise<TestResult> {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  Object.values(secret).forEach((v) => redactor.register(v));
  let session: Session | undefined;
  try {
    const driver = await backends.driver(profile.kind);
    const connecting = driver.connect(profile, secret, { ...host, signal: controller.signal });
    session = await withDeadline(connecting, host.timeoutMs, `Connecting to ${profile.name}`, () => {
      controller.abort();
      void connecting.then(closeSession, () => undefined);
    });
    const report = await withDeadline(session.ping(controller.signal), host.timeoutMs, `The test query on ${profile.name}`, () => controller.abort());
    if (report.status === 'error' && report.error) return { ok: false, error: toErrorView(report.error) };
    return { ok: true, latencyMs: report.latencyMs, serverVersion: report.serverVersion };
  } catch (raw) {
    return { ok: false, error: toErrorView(signal.aborted ? cancelled('The test') : raw) };
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (session) await closeSession(session);
  }
}
