/**
 * A local REST API for the HTTP adapter and the generated client: api-key (header and query), bearer, basic,
 * OAuth2 bearer tokens checked by a callback, error statuses, 429 + Retry-After, slow answers, and a small
 * Petstore (the routes of the OpenAPI example shipped in @readme/oas-examples). 127.0.0.1, port 0.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ApiSecrets {
  apiKey: string;
  token: string;
  username: string;
  password: string;
}

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  at: number;
}

export interface LocalApi {
  url: string;
  requests: SeenRequest[];
  /** Requests seen per path. */
  count(path: string): number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, url: URL, body: string) => { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

interface Pet {
  id: number;
  name: string;
  photoUrls: string[];
  status?: string;
  tags?: { id?: number; name?: string }[];
}

export async function startLocalApi(secrets: ApiSecrets, opts: { checkOAuth?: (token: string) => Promise<boolean> } = {}): Promise<LocalApi> {
  const requests: SeenRequest[] = [];
  const counts = new Map<string, number>();
  const pets = new Map<number, Pet>([[1, { id: 1, name: 'Rex', photoUrls: [], status: 'available' }]]);
  let nextId = 2;
  const json = (status: number, body?: unknown, headers: Record<string, string> = {}) => ({ status, body, headers });
  const basic = `Basic ${Buffer.from(`${secrets.username}:${secrets.password}`).toString('base64')}`;

  const routes: Record<string, Handler> = {
    'GET /health': () => json(200, { ok: true }),
    'GET /key-header/me': (req) => (req.headers['x-api-key'] === secrets.apiKey ? json(200, { who: 'key-header' }) : json(401, { error: 'bad key' })),
    'GET /key-query/me': (_req, url) => (url.searchParams.get('api_key') === secrets.apiKey ? json(200, { who: 'key-query' }) : json(401, { error: 'bad key' })),
    'GET /bearer/me': (req) => (req.headers.authorization === `Bearer ${secrets.token}` ? json(200, { who: 'bearer' }) : json(401, { error: 'bad token' })),
    'GET /basic/me': (req) => (req.headers.authorization === basic ? json(200, { who: 'basic' }) : json(401, {}, { 'www-authenticate': 'Basic' })),
    'GET /forbidden': () => json(403, { error: 'forbidden' }),
    'GET /error500': () => json(500, { error: 'boom' }),
    'GET /created': () => json(201, {}),
    'GET /flaky': (_req, url) => ((counts.get(url.pathname) ?? 0) <= 2 ? json(503, { error: 'warming up' }) : json(200, { ok: true })),
    'GET /limited': (_req, url) => ((counts.get(url.pathname) ?? 0) <= 1 ? json(429, { error: 'slow down' }, { 'retry-after': '1' }) : json(200, { ok: true })),
    'GET /limited-long': () => json(429, { error: 'come back tomorrow' }, { 'retry-after': '3600' }),
    'POST /post-limited': (_req, url) => ((counts.get(url.pathname) ?? 0) <= 1 ? json(429, {}, { 'retry-after': '1' }) : json(200, { ok: true })),
    'POST /post-503': () => json(503, {}),
    'GET /slow': () => 'hang',
    'GET /echo-secret': (_req, url) => json(400, { error: `rejected key ${url.searchParams.get('api_key') ?? ''}` }),
  };

  const petstoreAuth = (req: IncomingMessage) => req.headers['api_key'] === secrets.apiKey;
  function petstore(req: IncomingMessage, url: URL, body: string) {
    if (!petstoreAuth(req)) return json(401, { code: 401, type: 'error', message: 'api_key required' });
    const path = url.pathname.replace(/^\/v2/, '');
    const byId = /^\/pet\/(\d+)$/.exec(path);
    if (req.method === 'GET' && path === '/pet/findByStatus') {
      const wanted = url.searchParams.getAll('status');
      return json(200, [...pets.values()].filter((p) => wanted.includes(p.status ?? '')));
    }
    if (req.method === 'POST' && path === '/pet') {
      const pet = JSON.parse(body) as Pet;
      pet.id = nextId++;
      pets.set(pet.id, pet);
      return json(200, pet);
    }
    if (byId && req.method === 'GET') return pets.has(Number(byId[1])) ? json(200, pets.get(Number(byId[1]))) : json(404, { code: 404, message: 'Pet not found' });
    if (byId && req.method === 'DELETE') return pets.delete(Number(byId[1])) ? json(200) : json(404, {});
    return json(404, { message: 'no route' });
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        counts.set(url.pathname, (counts.get(url.pathname) ?? 0) + 1);
        requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, at: Date.now() });
        const body = Buffer.concat(chunks).toString('utf8');
        let out: ReturnType<Handler>;
        if (url.pathname.startsWith('/v2/')) out = petstore(req, url, body);
        else if (url.pathname === '/oauth/me') {
          const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
          out = token && (await opts.checkOAuth?.(token)) ? json(200, { who: 'oauth' }) : json(401, { error: 'invalid_token' });
        } else out = routes[`${req.method} ${url.pathname}`]?.(req, url, body) ?? json(404, { error: 'no route' });
        if (out === 'hang') return; // the client's timeout ends it; close() destroys the socket
        res.writeHead(out.status, { 'content-type': 'application/json', ...out.headers });
        res.end(out.body === undefined ? '' : JSON.stringify(out.body));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    count: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * An HTTPS server with a fresh self-signed certificate (made by the openssl CLI), for the TLS_ERROR case:
 * Node's fetch refuses it because no trusted authority signed it.
 */
export async function startSelfSignedHttps(): Promise<{ url: string; close(): Promise<void> }> {
  const { execFile } = await import('node:child_process');
  const { promises: fs } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const https = await import('node:https');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'plugboard-tls-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  await new Promise<void>((resolve, reject) =>
    execFile('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], (err) => (err ? reject(err) : resolve())),
  );
  const server = https.createServer({ key: await fs.readFile(key), cert: await fs.readFile(cert) }, (_req, res) => res.end('{}'));
  await fs.rm(dir, { recursive: true, force: true });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
