import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { crypto } from '../crypto';
import type { BackendCatalog } from '../catalog';
import { PlugboardError } from '../errors';
import { CONNECTIONS_FILE_VERSION, ConnectionProfile, ConnectionsFile } from '../model';
import { ConnectionsFileV1, isV1ConnectionsFile, migrateConnectionsFile } from '../model/profileV1';
import { describeZodError, describeZodIssue } from '../model/zodIssues';

/**
 * Non-secret connection profiles. With a workspace folder they live in `.plugboard/connections.json`
 * (shareable, committed with the project); without one, in the editor's global state. A malformed file is
 * reported with its path and the offending field, and is never overwritten: writes are refused until the
 * user fixes it. A version-1 file (Plugboard 0.1.0) is read as version 2 and rewritten on the next save,
 * the original kept once beside it as `connections.json.bak`.
 */
export interface ProfileBacking {
  /** Where the profiles are, for messages: a file path or "user settings". */
  readonly location: string;
  read(): Promise<unknown | undefined>;
  write(data: ConnectionsFile): Promise<void>;
  /** Keeps the current content once before a format migration rewrites it. */
  backup?(): Promise<void>;
}

export const CONNECTIONS_FILE = path.join('.plugboard', 'connections.json');

export class WorkspaceFileBacking implements ProfileBacking {
  readonly location: string;
  constructor(workspaceRoot: string) {
    this.location = path.join(workspaceRoot, CONNECTIONS_FILE);
  }
  async read(): Promise<unknown | undefined> {
    let text: string;
    try {
      text = await fs.readFile(this.location, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new PlugboardError('INVALID_CONFIG', `Cannot read ${this.location}: ${(err as Error).message}`);
    }
    if (!text.trim()) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new PlugboardError('INVALID_CONFIG', `${this.location} is not valid JSON: ${(err as Error).message}`, {
        hint: 'Fix the file by hand; Plugboard will not overwrite it while it is malformed.',
      });
    }
  }
  async write(data: ConnectionsFile): Promise<void> {
    await fs.mkdir(path.dirname(this.location), { recursive: true });
    const tmp = `${this.location}.${crypto.randomBytes(6).toString('hex')}.tmp`;
    await fs.writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`, 'utf8');
    await fs.rename(tmp, this.location);
  }
  async backup(): Promise<void> {
    // `wx`: an existing backup (an earlier migration's) is never replaced.
    const text = await fs.readFile(this.location);
    await fs.writeFile(`${this.location}.bak`, text, { flag: 'wx' }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
  }
}

/** A key-value store such as VS Code's globalState. */
export interface KeyValueState {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export class StateBacking implements ProfileBacking {
  readonly location = 'user settings (no folder open)';
  private static readonly KEY = 'plugboard.connections';
  constructor(private readonly state: KeyValueState) {}
  async read(): Promise<unknown | undefined> {
    return this.state.get(StateBacking.KEY);
  }
  async write(data: ConnectionsFile): Promise<void> {
    await this.state.update(StateBacking.KEY, data);
  }
}

type Listener = () => void;

export class ProfileStore {
  private cache: ConnectionProfile[] | undefined;
  /** The stored data is version 1 and must be migrated (with a backup) on the next write. */
  private migrating = false;
  private readonly listeners = new Set<Listener>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly backing: ProfileBacking,
    private readonly backends: BackendCatalog,
  ) {}

  get location(): string {
    return this.backing.location;
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Forget the cache (the file changed on disk) and tell listeners. */
  invalidate(): void {
    this.cache = undefined;
    this.listeners.forEach((l) => l());
  }

  async list(): Promise<ConnectionProfile[]> {
    if (this.cache) return this.cache;
    const raw = await this.backing.read();
    if (raw === undefined) {
      this.migrating = false;
      return (this.cache = []);
    }
    const file = this.parse(raw);
    file.connections.forEach((p, i) => this.checkOptions(p, ['connections', i]));
    return (this.cache = file.connections);
  }

  async get(id: string): Promise<ConnectionProfile> {
    const found = (await this.list()).find((p) => p.id === id);
    if (!found) throw new PlugboardError('NOT_FOUND', `No connection with id "${id}".`);
    return found;
  }

  /** Adds or replaces a profile (by id). Validated first; a malformed file on disk blocks the write. */
  save(profile: ConnectionProfile): Promise<ConnectionProfile> {
    return this.mutate((list) => {
      const valid = ConnectionProfile.safeParse(profile);
      if (!valid.success) throw new PlugboardError('INVALID_CONFIG', `connection: ${describeZodIssue(valid.error)}`);
      this.checkOptions(valid.data, []);
      const i = list.findIndex((p) => p.id === profile.id);
      if (i >= 0) list[i] = valid.data;
      else list.push(valid.data);
      return valid.data;
    });
  }

  remove(id: string): Promise<boolean> {
    return this.mutate((list) => {
      const i = list.findIndex((p) => p.id === id);
      if (i >= 0) list.splice(i, 1);
      return i >= 0;
    });
  }

  private parse(raw: unknown): ConnectionsFile {
    const malformed = (message: string) =>
      new PlugboardError('INVALID_CONFIG', message, { hint: 'Fix the file by hand; Plugboard will not overwrite it while it is malformed.' });
    if (isV1ConnectionsFile(raw)) {
      const v1 = ConnectionsFileV1.safeParse(raw);
      if (!v1.success) throw malformed(describeZodError(v1.error, this.backing.location));
      this.migrating = true;
      return migrateConnectionsFile(v1.data);
    }
    const parsed = ConnectionsFile.safeParse(raw);
    if (!parsed.success) throw malformed(describeZodError(parsed.error, this.backing.location));
    this.migrating = false;
    return parsed.data;
  }

  /** The backend validates its own options; the message names the field as it is in the file. */
  private checkOptions(profile: ConnectionProfile, at: (string | number)[]): void {
    const backend = this.backends.find(profile.kind);
    const where = at.length ? `${this.backing.location}: ` : 'connection: ';
    if (!backend) {
      const known = this.backends.list().map((b) => b.kind).join(', ');
      throw new PlugboardError('INVALID_CONFIG', `${where}${[...at, 'kind'].join('.').replace(/\.(\d+)/g, '[$1]')}: unknown kind "${profile.kind}" (known: ${known})`);
    }
    const parsed = backend.options.safeParse(profile.options);
    if (!parsed.success) throw new PlugboardError('INVALID_CONFIG', `${where}${describeZodIssue(parsed.error, ...at, 'options')}`);
  }

  /** Serialises read-modify-write so two quick saves cannot lose one another. */
  private mutate<T>(fn: (list: ConnectionProfile[]) => T): Promise<T> {
    const run = async () => {
      this.cache = undefined;
      const list = [...(await this.list())];
      const result = fn(list);
      if (this.migrating) await this.backing.backup?.();
      await this.backing.write({ version: CONNECTIONS_FILE_VERSION, connections: list });
      this.migrating = false;
      this.cache = list;
      this.listeners.forEach((l) => l());
      return result;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
