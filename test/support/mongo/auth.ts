/**
 * Server side of SCRAM-SHA-256 and SCRAM-SHA-1 (RFC 5802 / RFC 7677) as mongod runs it over saslStart and
 * saslContinue: one user in the `admin` database. Keys are derived once, the password itself is not kept.
 * SASLprep is approximated by NFKC normalization (exact for every password without unusual code points).
 */
import { Binary } from 'bson';
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { CommandError } from './errors';
import { type Doc, isPlainObject } from './values';

export const AUTH_DB = 'admin';
const MECHANISMS = { 'SCRAM-SHA-256': { hash: 'sha256', iterations: 15000 }, 'SCRAM-SHA-1': { hash: 'sha1', iterations: 10000 } } as const;
type Mechanism = keyof typeof MECHANISMS;

interface ScramKeys {
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

/** One SASL conversation on one connection. */
export interface Conversation {
  mechanism: Mechanism;
  clientFirstBare: string;
  serverFirst: string;
  nonce: string;
  /** The client asked (saslStart `options.skipEmptyExchange`) to finish without an empty last round. */
  skipEmptyExchange: boolean;
  /** Set once the proof checked out, while an empty final exchange is still expected. */
  verified?: boolean;
}

const hmac = (hash: string, key: Buffer, text: string) => createHmac(hash, key).update(text).digest();
const failed = () => new CommandError('AuthenticationFailed', 'Authentication failed.');

function deriveKeys(mechanism: Mechanism, user: string, password: string): ScramKeys {
  const { hash, iterations } = MECHANISMS[mechanism];
  // SCRAM-SHA-1 in MongoDB hashes the MD5 "user:mongo:password" digest, not the password.
  const secret = mechanism === 'SCRAM-SHA-1' ? createHash('md5').update(`${user}:mongo:${password}`).digest('hex') : password.normalize('NFKC');
  const salt = randomBytes(mechanism === 'SCRAM-SHA-1' ? 16 : 28);
  const salted = pbkdf2Sync(secret, salt, iterations, hash === 'sha256' ? 32 : 20, hash);
  const clientKey = hmac(hash, salted, 'Client Key');
  return { salt, storedKey: createHash(hash).update(clientKey).digest(), serverKey: hmac(hash, salted, 'Server Key') };
}

function parseAttributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

function payloadText(payload: unknown): string {
  if (payload instanceof Binary) return Buffer.from(payload.buffer.subarray(0, payload.position)).toString('utf8');
  if (payload instanceof Uint8Array) return Buffer.from(payload).toString('utf8');
  if (typeof payload === 'string') return payload;
  throw new CommandError('BadValue', 'SASL payload must be binary');
}

const reply = (conversationId: number, done: boolean, text: string): Doc => ({ conversationId, done, payload: new Binary(Buffer.from(text, 'utf8')), ok: 1 });

export class ScramAuthority {
  private readonly keys: Record<Mechanism, ScramKeys>;

  constructor(readonly user: string, password: string) {
    this.keys = { 'SCRAM-SHA-256': deriveKeys('SCRAM-SHA-256', user, password), 'SCRAM-SHA-1': deriveKeys('SCRAM-SHA-1', user, password) };
  }

  /** For hello's `saslSupportedMechs: "<db>.<user>"`: the mechanisms that user can use, if it exists. */
  mechanismsFor(userSpec: unknown): string[] | undefined {
    return userSpec === `${AUTH_DB}.${this.user}` ? Object.keys(MECHANISMS) : undefined;
  }

  start(db: string, command: Doc): { reply: Doc; conversation: Conversation } {
    const mechanism = command.mechanism as Mechanism;
    if (!(mechanism in MECHANISMS)) throw new CommandError('MechanismUnavailable', `Received authentication for mechanism ${String(command.mechanism)} which is not enabled`);
    const clientFirst = payloadText(command.payload);
    // gs2 header: "n,," (no channel binding) or "y,,"; "p=…" asks for channel binding, which mongod lacks.
    const header = /^([ny]),(?:a=[^,]*)?,/.exec(clientFirst);
    if (!header) throw new CommandError('BadValue', 'SCRAM channel binding is not supported');
    const clientFirstBare = clientFirst.slice(header[0].length);
    const attrs = parseAttributes(clientFirstBare);
    const user = (attrs.get('n') ?? '').replace(/=2C/g, ',').replace(/=3D/g, '=');
    const clientNonce = attrs.get('r');
    if (db !== AUTH_DB || user !== this.user || !clientNonce) throw failed();
    const nonce = clientNonce + randomBytes(24).toString('base64');
    const { iterations } = MECHANISMS[mechanism];
    const serverFirst = `r=${nonce},s=${this.keys[mechanism].salt.toString('base64')},i=${iterations}`;
    const skipEmptyExchange = isPlainObject(command.options) && command.options.skipEmptyExchange === true;
    return { reply: reply(1, false, serverFirst), conversation: { mechanism, clientFirstBare, serverFirst, nonce, skipEmptyExchange } };
  }

  /** Checks the client's proof; `authenticated` says whether the conversation is over and succeeded. */
  continue(conversation: Conversation, command: Doc): { reply: Doc; authenticated: boolean } {
    if (conversation.verified) return { reply: reply(1, true, ''), authenticated: true };
    const clientFinal = payloadText(command.payload);
    const proofAt = clientFinal.lastIndexOf(',p=');
    if (proofAt < 0) throw failed();
    const withoutProof = clientFinal.slice(0, proofAt);
    const attrs = parseAttributes(withoutProof);
    if (attrs.get('r') !== conversation.nonce || !['biws', 'eSws'].includes(attrs.get('c') ?? '')) throw failed();
    const { hash } = MECHANISMS[conversation.mechanism];
    const keys = this.keys[conversation.mechanism];
    const authMessage = `${conversation.clientFirstBare},${conversation.serverFirst},${withoutProof}`;
    const signature = hmac(hash, keys.storedKey, authMessage);
    const proof = Buffer.from(clientFinal.slice(proofAt + 3), 'base64');
    if (proof.length !== signature.length) throw failed();
    const clientKey = Buffer.from(proof.map((b, i) => b ^ signature[i]));
    if (!timingSafeEqual(createHash(hash).update(clientKey).digest(), keys.storedKey)) throw failed();
    const serverFinal = `v=${hmac(hash, keys.serverKey, authMessage).toString('base64')}`;
    if (conversation.skipEmptyExchange) return { reply: reply(1, true, serverFinal), authenticated: true };
    conversation.verified = true;
    return { reply: reply(1, false, serverFinal), authenticated: false };
  }
}
