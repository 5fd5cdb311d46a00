/**
 * A throwaway PostgreSQL cluster with password (SCRAM) authentication and TLS with a self-signed certificate.
 * The shared server on 5432 trusts every loopback connection, so a wrong password or a certificate check
 * can only be tested against a server like this one. initdb refuses to run as root, so it runs as `postgres`.
 */
import { execFile } from 'node:child_process';
import { existsSync, promises as fs, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { ConnectionProfile } from '../../src/core/model';
import { freePort } from './net';

const run = promisify(execFile);

export interface ScramCluster {
  host: string;
  port: number;
  user: string;
  /** With `{ ca: true }`: the authority that signed the server certificate, another one, and a client certificate. */
  tls?: ClusterTls;
  /** A profile for it (sslmode require: the certificate is self-signed). */
  profile: ConnectionProfile;
  stop(): Promise<void>;
}

function binDir(): string {
  if (process.env.PLUGBOARD_TEST_PG_BIN) return process.env.PLUGBOARD_TEST_PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (!versions.length) throw new Error('initdb was not found under /usr/lib/postgresql; set PLUGBOARD_TEST_PG_BIN to the folder holding initdb and pg_ctl.');
  return path.join(root, versions[0]!, 'bin');
}

/** Runs a PostgreSQL tool as the `postgres` OS user when we are root (initdb and postgres refuse root). */
async function asPostgres(tool: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  const bin = path.join(binDir(), tool);
  const options = { timeout: 30_000, env: { ...process.env, ...env } };
  if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', bin, ...args], options);
  else await run(bin, args, options);
}

async function chownToPostgres(paths: string[]): Promise<void> {
  if (process.getuid?.() !== 0) return;
  await run('chown', ['-R', 'postgres:postgres', ...paths]);
}

export interface ClusterTls {
  /** The CA that signed the server certificate (subjectAltName IP:127.0.0.1, DNS:localhost). */
  caFile: string;
  /** A CA that signed nothing this server presents. */
  otherCaFile: string;
  /** A client certificate (CN = certUser) and its key, signed by caFile; certUser logs in by certificate only. */
  clientCert: string;
  clientKey: string;
  certUser: string;
}

const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A CA, a server certificate it signs for 127.0.0.1/localhost, another CA, and a client certificate. */
async function makeCertificates(dir: string, data: string, certUser: string): Promise<ClusterTls> {
  const f = (name: string) => path.join(dir, name);
  await run('openssl', ['req', '-x509', '-new', ...ec, '-days', '2', '-subj', '/CN=plugboard-test-ca', '-keyout', f('ca.key'), '-out', f('ca.crt')]);
  await run('openssl', ['req', '-x509', '-new', ...ec, '-days', '2', '-subj', '/CN=plugboard-other-ca', '-keyout', f('other.key'), '-out', f('other-ca.crt')]);
  await fs.writeFile(f('san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await run('openssl', ['req', '-new', ...ec, '-subj', '/CN=localhost', '-keyout', path.join(data, 'server.key'), '-out', f('server.csr')]);
  await run('openssl', ['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('san.cnf'), '-out', path.join(data, 'server.crt')]);
  await run('openssl', ['req', '-new', ...ec, '-subj', `/CN=${certUser}`, '-keyout', f('client.key'), '-out', f('client.csr')]);
  await run('openssl', ['x509', '-req', '-in', f('client.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-out', f('client.crt')]);
  await fs.copyFile(f('ca.crt'), path.join(data, 'root.crt'));
  await fs.chmod(f('client.key'), 0o600);
  return { caFile: f('ca.crt'), otherCaFile: f('other-ca.crt'), clientCert: f('client.crt'), clientKey: f('client.key'), certUser };
}

export async function startScramCluster(password: string, options: { ca?: boolean } = {}): Promise<ScramCluster> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'plugboard-scram-'));
  const data = path.join(dir, 'data');
  const pwfile = path.join(dir, 'pw');
  let started = false;
  const stop = async () => {
    if (started) await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    started = false;
    await fs.rm(dir, { recursive: true, force: true });
  };
  try {
    await fs.chmod(dir, 0o700);
    await fs.writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    await chownToPostgres([dir]);
    await asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-sync', '--no-instructions']);
    await fs.rm(pwfile, { force: true }); // the canary must not outlive the setup on disk
    const tls = options.ca ? await makeCertificates(dir, data, 'certuser') : undefined;
    if (!tls) {
      await run('openssl', [
        'req', '-new', '-x509', '-days', '2', '-nodes', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
        '-subj', '/CN=plugboard-test.invalid', '-keyout', path.join(data, 'server.key'), '-out', path.join(data, 'server.crt'),
      ]);
    }
    await fs.chmod(path.join(data, 'server.key'), 0o600);
    const port = await freePort();
    await fs.appendFile(
      path.join(data, 'postgresql.conf'),
      [
        '',
        `port = ${port}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        'ssl = on',
        ...(tls ? ["ssl_ca_file = 'root.crt'"] : []),
        'fsync = off',
        'max_connections = 30',
        "shared_buffers = '16MB'",
        '',
      ].join('\n'),
    );
    const certLine = tls ? `hostssl all ${tls.certUser} 127.0.0.1/32 cert\n` : '';
    await fs.writeFile(path.join(data, 'pg_hba.conf'), `local all all scram-sha-256\n${certLine}host all all 127.0.0.1/32 scram-sha-256\n`);
    await chownToPostgres([dir]);
    await asPostgres('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '20', 'start']);
    started = true;
    if (tls) await asPostgres('psql', ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-c', `CREATE ROLE ${tls.certUser} LOGIN`], { PGPASSWORD: password });
    return {
      host: '127.0.0.1',
      port,
      user: 'postgres',
      tls,
      profile: { id: 'scram', name: 'scram', kind: 'postgres', options: { host: '127.0.0.1', port, database: 'postgres', user: 'postgres', sslmode: 'require' } },
      stop,
    };
  } catch (err) {
    const log = await fs.readFile(path.join(dir, 'log'), 'utf8').catch(() => '');
    await stop();
    throw new Error(`Could not start a throwaway PostgreSQL cluster: ${(err as Error).message}${log ? `\n${log.slice(-2000)}` : ''}`, { cause: err });
  }
}
