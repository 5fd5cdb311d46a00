/**
 * Run as its own Node process by the emulator tests: starts an emulator, opens a firebase-admin client with
 * a live onSnapshot stream, stops the emulator under it, then closes the client. It never calls
 * process.exit, so the process ends only if nothing (server sockets, timers) is left in the event loop.
 */
import { connectAdmin } from './admin';
import { startFirestoreEmulator } from './emulator';
import { within } from './within';

const STEP_DEADLINE_MS = 5_000;

async function main(): Promise<void> {
  const emulator = await startFirestoreEmulator();
  const client = connectAdmin(emulator.host);
  await within(client.db.doc('probe/doc').set({ step: 1 }), STEP_DEADLINE_MS, 'write');
  let unsubscribe = (): void => undefined;
  await within(
    new Promise<void>((resolve, reject) => {
      unsubscribe = client.db.doc('probe/doc').onSnapshot(() => resolve(), reject);
    }),
    STEP_DEADLINE_MS,
    'first snapshot',
  );
  await emulator.stop();
  unsubscribe();
  await client.close();
  process.stdout.write('probe: stopped cleanly\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`probe failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
