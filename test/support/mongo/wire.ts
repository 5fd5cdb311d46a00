/**
 * MongoDB wire protocol framing: splits a TCP stream into messages, decodes OP_MSG (2013) and the legacy
 * OP_QUERY (2004) that drivers still use for their first `isMaster`, and encodes OP_MSG / OP_REPLY answers.
 * No compression (hello offers none) and no checksums on replies (a request's CRC-32C is skipped, not checked).
 */
import { deserialize, serialize } from 'bson';
import { STORED_BSON } from './state';
import type { Doc } from './values';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;
const HEADER_BYTES = 16;
export const MAX_MESSAGE_BYTES = 48_000_000;

const FLAG_CHECKSUM_PRESENT = 1 << 0;
const FLAG_MORE_TO_COME = 1 << 1;

export interface Request {
  requestId: number;
  /** The command document, with OP_MSG document sequences folded in under their identifiers. */
  command: Doc;
  db: string;
  /** The client wants no answer (unacknowledged writes). */
  moreToCome: boolean;
  /** Came as OP_QUERY: answer with OP_REPLY. */
  legacy: boolean;
}

export class ProtocolError extends Error {}

/** Collects chunks and hands out whole messages. */
export class MessageSplitter {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: Buffer[] = [];
    while (this.pending.length >= 4) {
      const length = this.pending.readInt32LE(0);
      if (length < HEADER_BYTES || length > MAX_MESSAGE_BYTES) throw new ProtocolError(`invalid message length ${length}`);
      if (this.pending.length < length) break;
      out.push(this.pending.subarray(0, length));
      this.pending = this.pending.subarray(length);
    }
    return out;
  }
}

function readCString(buf: Buffer, at: number): { value: string; next: number } {
  const end = buf.indexOf(0, at);
  if (end < 0) throw new ProtocolError('unterminated string');
  return { value: buf.toString('utf8', at, end), next: end + 1 };
}

function readDocument(buf: Buffer, at: number): { doc: Doc; next: number } {
  const size = buf.readInt32LE(at);
  return { doc: deserialize(buf.subarray(at, at + size), STORED_BSON), next: at + size };
}

function parseOpMsg(buf: Buffer, requestId: number): Request {
  const flags = buf.readUInt32LE(HEADER_BYTES);
  const end = buf.length - (flags & FLAG_CHECKSUM_PRESENT ? 4 : 0);
  let at = HEADER_BYTES + 4;
  let body: Doc | undefined;
  const sequences: [string, Doc[]][] = [];
  while (at < end) {
    const kind = buf.readUInt8(at++);
    if (kind === 0) {
      ({ doc: body, next: at } = readDocument(buf, at));
    } else if (kind === 1) {
      const sectionEnd = at + buf.readInt32LE(at);
      const id = readCString(buf, at + 4);
      const docs: Doc[] = [];
      for (let p = id.next; p < sectionEnd; ) {
        const read = readDocument(buf, p);
        docs.push(read.doc);
        p = read.next;
      }
      sequences.push([id.value, docs]);
      at = sectionEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG without a body section');
  for (const [id, docs] of sequences) body[id] = docs;
  return { requestId, command: body, db: String(body.$db ?? 'admin'), moreToCome: (flags & FLAG_MORE_TO_COME) !== 0, legacy: false };
}

function parseOpQuery(buf: Buffer, requestId: number): Request {
  const collection = readCString(buf, HEADER_BYTES + 4);
  const { doc } = readDocument(buf, collection.next + 8);
  // Read preferences wrap the command as { $query: cmd, $readPreference }.
  const command = doc.$query && typeof doc.$query === 'object' ? (doc.$query as Doc) : doc;
  const db = collection.value.endsWith('.$cmd') ? collection.value.slice(0, -'.$cmd'.length) : collection.value;
  return { requestId, command, db, moreToCome: false, legacy: true };
}

export function parseRequest(buf: Buffer): Request {
  const requestId = buf.readInt32LE(4);
  const opCode = buf.readInt32LE(12);
  if (opCode === OP_MSG) return parseOpMsg(buf, requestId);
  if (opCode === OP_QUERY) return parseOpQuery(buf, requestId);
  throw new ProtocolError(`unsupported opcode ${opCode}`);
}

let lastRequestId = 0;

function header(length: number, responseTo: number, opCode: number): Buffer {
  const head = Buffer.alloc(HEADER_BYTES);
  head.writeInt32LE(length, 0);
  head.writeInt32LE((lastRequestId = (lastRequestId + 1) & 0x7fffffff), 4);
  head.writeInt32LE(responseTo, 8);
  head.writeInt32LE(opCode, 12);
  return head;
}

export function encodeReply(request: Request, doc: Doc): Buffer {
  const body = serialize(doc);
  if (request.legacy) {
    // OP_REPLY: responseFlags, cursorID (int64), startingFrom, numberReturned, then the document.
    const fields = Buffer.alloc(20);
    fields.writeInt32LE(1, 16);
    return Buffer.concat([header(HEADER_BYTES + 20 + body.length, request.requestId, OP_REPLY), fields, body]);
  }
  const flagsAndKind = Buffer.alloc(5); // flags 0, section kind 0
  return Buffer.concat([header(HEADER_BYTES + 5 + body.length, request.requestId, OP_MSG), flagsAndKind, body]);
}
