/**
 * Issue 13, item 6: closing must not hang on a connect that never finishes (the CLI closes every session in
 * `finally`, after a CONNECTION_TIMEOUT), and a session that connects after all is closed, not leaked.
 */
import * as assert from 'node:assert/strict';
import type { Session } from '../../src/core/backend';
import { CLOSE_DEADLINE_MS, SessionManager } from '../../src/core/sessions';
import type { ConnectionProfile } from '../../src/core/model';

const profile: ConnectionProfile = { id: 'p', name: 'p', kind: 'postgres', options: {} };

function fakeSession(onClose: () => void): Session {
  return {
    profile,
    queryCount: 0,
    ping: () => Promise.reject(new Error('not used')),
    introspect: () => Promise.reject(new Error('not used')),
    close: async () => onClose(),
  } as unknown as Session;
}

describe('SessionManager.close with a connect still under way', function () {
  this.timeout(CLOSE_DEADLINE_MS * 3);

  it('returns within the close deadline when the connect never settles', async () => {
    const sessions = new SessionManager(() => new Promise<Session>(() => undefined));
    void sessions.get(profile).catch(() => undefined);
    const started = Date.now();
    await sessions.closeAll();
    assert.ok(Date.now() - started < CLOSE_DEADLINE_MS + 1_000, `closeAll took ${Date.now() - started} ms`);
  });

  it('closes a session whose connect finishes after close gave up on it', async () => {
    let resolve!: (s: Session) => void;
    let closed = false;
    const sessions = new SessionManager(() => new Promise<Session>((r) => (resolve = r)));
    void sessions.get(profile).catch(() => undefined);
    await sessions.closeAll();
    resolve(fakeSession(() => (closed = true)));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(closed, true, 'the late session was left open');
  });
});
