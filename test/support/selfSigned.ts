/**
 * A throwaway self-signed certificate for TLS tests (openssl, as the SCRAM cluster makes its own), valid for
 * 127.0.0.1 and localhost, so a client that trusts it as a CA verifies the host name too.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface SelfSigned {
  key: string;
  cert: string;
  /** The certificate's PEM file: a client's CA file. */
  certFile: string;
  remove(): Promise<void>;
}

export async function selfSignedCert(): Promise<SelfSigned> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'plugboard-tls-'));
  const keyFile = path.join(dir, 'server.key');
  const certFile = path.join(dir, 'server.crt');
  const args = [
    'req', '-new', '-x509', '-days', '2', '-nodes', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', keyFile, '-out', certFile,
  ];
  await new Promise<void>((resolve, reject) => {
    execFile('openssl', args, { timeout: 20_000 }, (err, _stdout, stderr) => (err ? reject(new Error(`openssl failed: ${stderr || err.message}`)) : resolve()));
  });
  const [key, cert] = await Promise.all([fs.readFile(keyFile, 'utf8'), fs.readFile(certFile, 'utf8')]);
  return { key, cert, certFile, remove: () => fs.rm(dir, { recursive: true, force: true }) };
}
