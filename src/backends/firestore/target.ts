import { PlugboardError } from '../../core/errors';
import type { Secret } from '../../core/model';
import { emulatorHostProblem, type FirestoreOptions } from './options';
import { loadServiceAccount, type ServiceAccount } from './serviceAccount';

/** Where a session goes: an emulator (no credentials), or Cloud Firestore with a service account. */
export type FirestoreTarget = { kind: 'emulator'; host: string; fromEnv: boolean } | { kind: 'cloud'; account: ServiceAccount };

export const EMULATOR_ENV = 'FIRESTORE_EMULATOR_HOST';

/**
 * Decides the target the way firebase-admin would for a bare project id — FIRESTORE_EMULATOR_HOST when set,
 * else the credentials — except that what the profile says explicitly (its `auth`, its `emulatorHost`) wins
 * over the variable. The service-account key is read and checked here, before anything connects.
 */
export async function resolveTarget(options: FirestoreOptions, secret: Secret, env: NodeJS.ProcessEnv = process.env): Promise<FirestoreTarget> {
  const fromEnv = env[EMULATOR_ENV]?.trim() || undefined;
  const emulator = (host: string, viaEnv: boolean): FirestoreTarget => {
    const problem = emulatorHostProblem(host);
    if (problem) throw new PlugboardError('INVALID_CONFIG', `${viaEnv ? `${EMULATOR_ENV}: ` : ''}${problem}`);
    return { kind: 'emulator', host, fromEnv: viaEnv };
  };
  const cloud = async (): Promise<FirestoreTarget> => {
    const key = secret.serviceAccount;
    if (!key) {
      throw new PlugboardError('INVALID_CONFIG', `No service-account key for project ${options.projectId}, and no emulator.`, {
        hint: `Add the key file in the connection (Plugboard: Edit Connection); in the CLI set GOOGLE_APPLICATION_CREDENTIALS to its path, or ${EMULATOR_ENV} for the emulator.`,
      });
    }
    return { kind: 'cloud', account: await loadServiceAccount(key) };
  };
  if (options.auth === 'serviceAccount') return cloud();
  if (options.emulatorHost) return emulator(options.emulatorHost, false);
  if (fromEnv) return emulator(fromEnv, true);
  if (options.auth === 'emulator') {
    throw new PlugboardError('INVALID_CONFIG', 'The connection uses the emulator but names no emulator address.', { hint: `Set the emulator address (host:port) in the connection, or ${EMULATOR_ENV}.` });
  }
  return cloud();
}

export function describeTarget(projectId: string, target: FirestoreTarget): string {
  return target.kind === 'emulator' ? `project ${projectId} on the emulator at ${target.host}${target.fromEnv ? ` (${EMULATOR_ENV})` : ''}` : `project ${projectId}`;
}
