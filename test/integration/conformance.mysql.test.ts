/**
 * The backend conformance suite for MySQL / MariaDB on the local server: the seeded database is reached by a
 * user of its own whose password is the canary; bad credentials are that user with another password.
 */
import { escapeId } from 'mysql2';
import { CANARY } from '../support/canary';
import { describeConformance } from '../support/conformance';
import { freePort, startBlackHole } from '../support/net';
import { adminConnection, createScratchDatabases, createUser, serverOptions, type ScratchDatabases } from '../support/mysql';

let scratch: ScratchDatabases | undefined;
let user: Awaited<ReturnType<typeof createUser>> | undefined;

const profile = (options: Record<string, unknown>) => ({ id: 'conformance-mysql', name: 'conformance mysql', kind: 'mysql', options });

describeConformance({
  name: 'MySQL / MariaDB (local server)',
  async setup() {
    scratch = await createScratchDatabases('conformance');
    const db = scratch.names[0]!;
    await scratch.exec('CREATE TABLE conformance_items (id int AUTO_INCREMENT PRIMARY KEY, name varchar(40) NOT NULL, meta json, state enum(\'a\', \'b\'))');
    user = await createUser(CANARY);
    const admin = await adminConnection();
    try {
      await admin.query(`GRANT ALL ON ${escapeId(db)}.* TO ?@?`, [user.user, '%']);
    } finally {
      admin.destroy();
    }
    return {
      profile: profile({ ...serverOptions(db), user: user.user }),
      secret: { password: CANARY },
      canary: CANARY,
      async teardown() {
        await user?.drop();
        await scratch?.drop();
      },
    };
  },
  get seeded() {
    return { namespace: scratch?.names[0] ?? '', entity: 'conformance_items' };
  },
  refused: async () => ({ profile: profile({ ...serverOptions(scratch!.names[0]), user: user!.user, port: await freePort() }), secret: { password: CANARY } }),
  badCredentials: async () => ({ profile: profile({ ...serverOptions(scratch!.names[0]), user: user!.user }), secret: { password: `${CANARY}-wrong` }, code: 'AUTHENTICATION_FAILED' }),
  async stalled() {
    const hole = await startBlackHole();
    return { profile: profile({ ...serverOptions(scratch!.names[0]), port: hole.port, connectTimeoutMs: 500 }), secret: {}, teardown: () => hole.close() };
  },
  stalledWithinMs: 3_000,
});
