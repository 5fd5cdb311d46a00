import type { MongoClient, ServerDescriptionChangedEvent, ServerOpeningEvent } from 'mongodb';
import { isDefinitive } from './errors';

/**
 * Fails a connect as soon as every server the driver knows of has failed for good (refused, unknown host,
 * untrusted certificate), instead of after the whole server selection timeout: the driver keeps retrying
 * those until then, which leaves a person looking at a spinner for 30 s over a typo. A server that is merely
 * slow or restarting still gets the full timeout.
 */
export function failFast(client: MongoClient): { failed: Promise<never>; stop(): void } {
  const known = new Set<string>();
  const failedFor = new Map<string, unknown>();
  let reject: (err: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, r) => (reject = r));
  failed.catch(() => undefined); // raced by the caller; never an unhandled rejection when it is not
  const opening = (e: ServerOpeningEvent) => known.add(e.address);
  const changed = (e: ServerDescriptionChangedEvent) => {
    const error = e.newDescription.error;
    if (error && isDefinitive(error)) failedFor.set(e.address, error);
    else failedFor.delete(e.address);
    if (known.size > 0 && [...known].every((a) => failedFor.has(a))) reject(failedFor.get(e.address) ?? error);
  };
  client.on('serverOpening', opening);
  client.on('serverDescriptionChanged', changed);
  return {
    failed,
    stop() {
      client.off('serverOpening', opening);
      client.off('serverDescriptionChanged', changed);
    },
  };
}
