import * as net from 'node:net';
import { cancelled, PlugboardError } from '../../core/errors';
import { EMULATOR_HOST } from './options';

/**
 * A plain TCP connect to the emulator before firebase-admin is involved. gRPC retries a refused port until
 * the listing deadline runs out (10 s by default); a socket says "refused" at once, which is what a user who
 * forgot to start the emulator needs to hear. Only for emulators: Google is reached through DNS, proxies and
 * TLS that gRPC handles itself.
 */
export function checkEmulatorReachable(hostPort: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const m = EMULATOR_HOST.exec(hostPort);
  const host = m ? hostPort.slice(0, hostPort.lastIndexOf(':')).replace(/^\[|\]$/g, '') : hostPort;
  const port = m ? Number(m[1]) : 0;
  return new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host, port });
    const done = (err?: PlugboardError) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    const onAbort = () => done(cancelled());
    const timer = setTimeout(() => done(new PlugboardError('CONNECTION_TIMEOUT', `The Firestore emulator at ${hostPort} did not accept a connection within ${timeoutMs} ms.`)), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => done());
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') {
        done(new PlugboardError('CONNECTION_REFUSED', `Nothing listens at ${hostPort}.`, { hint: 'Start the Firestore emulator (firebase emulators:start --only firestore), or check the emulator address.' }));
      } else if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') {
        done(new PlugboardError('HOST_NOT_FOUND', `The emulator host in ${hostPort} could not be resolved.`));
      } else {
        done(new PlugboardError('CONNECTION_TIMEOUT', `The Firestore emulator at ${hostPort} could not be reached (${err.code ?? err.message}).`));
      }
    });
  });
}
