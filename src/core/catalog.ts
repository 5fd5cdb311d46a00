import type { BackendModule, Driver, TargetOffer } from './backend';
import { PlugboardError } from './errors';
import type { ConnectionProfile } from './model';
import { describeZodIssue } from './model/zodIssues';

/**
 * The backends a host knows, handed to core by the editor, the CLI or a test (core never imports them).
 * Drivers are loaded once per kind, on first use.
 */
export class BackendCatalog {
  private readonly byKind = new Map<string, BackendModule>();
  private readonly drivers = new Map<string, Promise<Driver>>();

  constructor(modules: readonly BackendModule<object>[]) {
    for (const m of modules) {
      if (this.byKind.has(m.kind)) throw new Error(`backend kind "${m.kind}" is listed twice`);
      this.byKind.set(m.kind, m as BackendModule);
    }
  }

  list(): BackendModule[] {
    return [...this.byKind.values()];
  }

  find(kind: string): BackendModule | undefined {
    return this.byKind.get(kind);
  }

  get(kind: string): BackendModule {
    const m = this.byKind.get(kind);
    if (!m) {
      throw new PlugboardError('INVALID_CONFIG', `Unknown connection kind "${kind}".`, { hint: `Known kinds: ${[...this.byKind.keys()].join(', ')}.` });
    }
    return m;
  }

  /** The backend whose URL scheme a connection string starts with. */
  forUrl(text: string): BackendModule {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text.trim())?.[1]?.toLowerCase();
    const m = scheme ? this.list().find((b) => b.schemes.includes(scheme)) : undefined;
    if (!m) {
      const known = this.list().flatMap((b) => b.schemes.map((s) => `${s}://`));
      throw new PlugboardError('INVALID_CONFIG', scheme ? `No backend handles "${scheme}://" URLs.` : 'The connection string does not start with a URL scheme.', {
        hint: `Use one of ${known.join(', ')}.`,
      });
    }
    return m;
  }

  driver(kind: string): Promise<Driver> {
    let d = this.drivers.get(kind);
    if (!d) {
      d = this.get(kind).load();
      this.drivers.set(kind, d);
      d.catch(() => this.drivers.delete(kind));
    }
    return d;
  }

  /** Releases what loaded drivers hold for the whole process (embedded databases); at shutdown. */
  async disposeAll(): Promise<void> {
    const loaded = [...this.drivers.values()];
    await Promise.all(loaded.map((d) => d.then((driver) => driver.dispose?.()).catch(() => undefined)));
  }

  /** The profile's options, validated by its backend; an error names the field. */
  options<O extends object>(profile: Pick<ConnectionProfile, 'kind' | 'options' | 'name'>): O {
    const parsed = this.get(profile.kind).options.safeParse(profile.options ?? {});
    if (!parsed.success) {
      throw new PlugboardError('INVALID_CONFIG', `Connection "${profile.name}": ${describeZodIssue(parsed.error, 'options')}`);
    }
    return parsed.data as O;
  }

  /** Targets a kind offers, by id. */
  targets(kind: string): readonly TargetOffer[] {
    return this.get(kind).targets;
  }
}
