/**
 * Small TCP fixtures for failure tests: a port nobody listens on, a server that accepts and never answers
 * (connect timeout), and a proxy that can run a fault (kill the server, terminate the backend) at the moment
 * the client sends its next request — so "the server died mid-introspection" happens every time, not by luck.
 */
import * as net from 'node:net';

/** A loopback port that was free a moment ago (listen on 0, close). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface TestServer {
  port: number;
  close(): Promise<void>;
}

/** Accepts connections and never says a word. */
export async function startBlackHole(): Promise<TestServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface FaultProxy extends TestServer {
  /** Runs `fault` once, when a client next sends data, before that data is forwarded. */
  armOnNextRequest(fault: () => Promise<void>): void;
  /** Destroys every proxied connection. */
  cutAll(): void;
}

export async function startFaultProxy(targetHost: string, targetPort: number): Promise<FaultProxy> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let armed: (() => Promise<void>) | undefined;
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('data', (chunk) => {
      const fault = armed;
      if (!fault) {
        upstream.write(chunk);
        return;
      }
      armed = undefined;
      client.pause();
      fault().then(
        () => {
          if (!upstream.destroyed) upstream.write(chunk);
          client.resume();
        },
        () => end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cutAll = () => {
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
  };
  return {
    port: (server.address() as net.AddressInfo).port,
    armOnNextRequest(fault) {
      armed = fault;
    },
    cutAll,
    async close() {
      cutAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
