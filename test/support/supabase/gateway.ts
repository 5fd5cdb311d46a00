/**
 * A stand-in for the API gateway (Kong) in front of a Supabase project, so a plain
 * `createClient(SUPABASE_URL, SUPABASE_ANON_KEY)` works against bare PostgREST: supabase-js calls
 * `<url>/rest/v1/<table>` and PostgREST serves `/<table>`. It forwards method, headers (apikey and
 * Authorization included) and body untouched, so PostgREST's own answers — a 401 PGRST301 for a bad JWT,
 * RLS refusals — reach the client as they are. It does not check `apikey` the way Kong does: a request
 * with a garbage apikey but no Authorization header is served as anon, exactly as bare PostgREST would.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

const REST_PREFIX = '/rest/v1';
const UPSTREAM_TIMEOUT_MS = 30_000;

// Connection-scoped headers (RFC 9110 §7.6.1) are not forwarded; the body framing is re-done by Node.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

// What GoTrue's GET /health answers, so health probes for the auth service succeed.
const AUTH_HEALTH_BODY = JSON.stringify({
  version: 'plugboard-test',
  name: 'GoTrue',
  description: 'GoTrue is a user registration and authentication API',
});

export interface Gateway {
  /** `http://127.0.0.1:PORT` — usable as SUPABASE_URL. */
  url: string;
  close(): Promise<void>;
}

function forwardableHeaders(headers: http.IncomingHttpHeaders | http.OutgoingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) out[name] = value;
  }
  return out;
}

function sendJson(res: http.ServerResponse, status: number, body: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Maps `/rest/v1/x?y` to `/x?y`; undefined for paths outside the REST prefix. */
export function restUpstreamPath(requestUrl: string): string | undefined {
  if (requestUrl === REST_PREFIX || requestUrl.startsWith(`${REST_PREFIX}?`)) return `/${requestUrl.slice(REST_PREFIX.length)}`;
  if (requestUrl.startsWith(`${REST_PREFIX}/`)) return requestUrl.slice(REST_PREFIX.length);
  return undefined;
}

export async function startGateway(upstream: { host: string; port: number }): Promise<Gateway> {
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const requestUrl = req.url ?? '/';
    const pathname = requestUrl.split('?')[0];
    if (pathname === '/auth/v1/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      sendJson(res, 200, AUTH_HEALTH_BODY);
      return;
    }
    const upstreamPath = restUpstreamPath(requestUrl);
    if (upstreamPath === undefined) {
      sendJson(res, 404, JSON.stringify({ message: 'no Route matched with those values' }));
      return;
    }
    const headers = forwardableHeaders(req.headers);
    headers.host = `${upstream.host}:${upstream.port}`;
    const proxied = http.request(
      { host: upstream.host, port: upstream.port, method: req.method, path: upstreamPath, headers, agent, timeout: UPSTREAM_TIMEOUT_MS },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, forwardableHeaders(upstreamRes.headers));
        upstreamRes.pipe(res);
        upstreamRes.on('error', () => res.destroy());
      },
    );
    proxied.on('timeout', () => proxied.destroy(new Error('upstream timeout')));
    proxied.on('error', (err) => {
      const timedOut = err.message === 'upstream timeout';
      sendJson(res, timedOut ? 504 : 502, JSON.stringify({ message: timedOut ? 'The upstream server is timing out' : 'An invalid response was received from the upstream server' }));
    });
    req.pipe(proxied);
    req.on('error', () => proxied.destroy());
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      if (closed) return;
      closed = true;
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
      await done;
    },
  };
}
