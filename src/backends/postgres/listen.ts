import { Client, type ClientConfig } from 'pg';
import type { SchemaChangeListener, SchemaSubscription } from '../../core/backend';
import { withDeadline } from '../../core/deadline';
import { cancelled, PlugboardError } from '../../core/errors';
import { classifyPgError } from './errors';

/**
 * The channel the optional event trigger notifies on DDL (README, "Watch mode"):
 *   CREATE FUNCTION plugboard_notify_ddl() RETURNS event_trigger LANGUAGE plpgsql
 *     AS $$ BEGIN PERFORM pg_notify('plugboard_ddl', tg_tag); END $$;
 *   CREATE EVENT TRIGGER plugboard_ddl ON ddl_command_end EXECUTE FUNCTION plugboard_notify_ddl();
 * Without the trigger, listening costs one idle connection and simply hears nothing; the watcher's polling
 * still notices every change.
 */
export const DDL_CHANNEL = 'plugboard_ddl';

/**
 * LISTENs on a connection of its own (a pooled one would be handed to queries and lose the LISTEN). Connecting
 * and the LISTEN run under `timeoutMs` and stop on `signal`; closing is bounded too. A connection that
 * breaks afterwards is reported once through `listener.lost`, never after close().
 */
export async function listenForDdl(config: ClientConfig, label: string, listener: SchemaChangeListener, timeoutMs: number, signal?: AbortSignal): Promise<SchemaSubscription> {
  if (signal?.aborted) throw cancelled('Listening for schema changes');
  const client = new Client({ ...config, application_name: 'plugboard-watch' });
  let ready = false;
  let closing = false;
  let reported = false;
  // Failures while connecting reject below; only a feed that was working can be lost.
  const lost = (err: Error) => {
    if (!ready || closing || reported) return;
    reported = true;
    listener.lost(classifyPgError(err, `Listening on ${label}`));
  };
  client.on('error', lost);
  client.on('end', () => lost(new PlugboardError('CONNECTION_LOST', `The listening connection to ${label} closed.`)));
  client.on('notification', (msg) => {
    if (msg.channel === DDL_CHANNEL) listener.change(msg.payload || undefined);
  });
  const end = () => {
    closing = true;
    return withDeadline(client.end(), 5_000, 'Closing the listening connection').catch(() => undefined);
  };
  const onAbort = () => void end();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await withDeadline(
      (async () => {
        await client.connect();
        await client.query(`LISTEN ${DDL_CHANNEL}`);
      })(),
      timeoutMs,
      `Listening on ${label}`,
      onAbort,
    );
  } catch (err) {
    await end();
    if (signal?.aborted) throw cancelled('Listening for schema changes');
    throw err instanceof PlugboardError ? err : classifyPgError(err, `Listening on ${label}`);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  ready = true;
  return { close: end };
}
