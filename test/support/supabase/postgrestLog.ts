/**
 * PostgREST's log, read line by line. At log level `info` every schema-cache load is a cycle of
 * "Attempting to connect to the database..." … "Schema cache loaded" (at startup, on SIGUSR1 and on
 * NOTIFY pgrst 'reload schema'), which is the only outside sign that a reload has finished.
 */
import { redactPatterns } from '../../../src/core/redact';

const TAIL_LINES = 200;
const CYCLE_START = 'Attempting to connect to the database';
const CACHE_LOADED = 'Schema cache loaded';
const CONNECTION_ERROR = '"code":"PGRST000"';

export class PostgrestLog {
  /** Number of lines seen so far; line numbers below are 1-based positions in this count. */
  lineCount = 0;
  lastCycleStartLine = 0;
  lastCacheLoadLine = 0;
  /** The first "Database connection error" line (PGRST000): PostgREST retries forever, so startup stops here. */
  connectionError: string | undefined;
  private readonly tail: string[] = [];
  private partial = '';
  private readonly listeners = new Set<() => void>();

  feed(chunk: Buffer | string): void {
    const lines = (this.partial + chunk.toString()).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.addLine(line);
    for (const listener of [...this.listeners]) listener();
  }

  private addLine(line: string): void {
    this.lineCount += 1;
    if (line.includes(CYCLE_START)) this.lastCycleStartLine = this.lineCount;
    if (line.includes(CACHE_LOADED)) this.lastCacheLoadLine = this.lineCount;
    if (line.includes(CONNECTION_ERROR)) this.connectionError ??= redactPatterns(line);
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
  }

  /** True when a load cycle began after line `mark` and the latest cycle has finished loading. */
  reloadedSince(mark: number): boolean {
    return this.lastCycleStartLine > mark && this.lastCacheLoadLine > this.lastCycleStartLine;
  }

  /** Resolves true once `condition` holds (checked after every chunk), false after `timeoutMs`. */
  waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (result: boolean) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(result);
      };
      const check = () => {
        if (condition()) finish(true);
      };
      const timer = setTimeout(() => finish(false), Math.max(0, timeoutMs));
      this.listeners.add(check);
    });
  }

  /** The last lines, with anything credential-shaped masked: safe for an error message. */
  excerpt(lines = 30): string {
    const recent = [...this.tail, ...(this.partial ? [this.partial] : [])].slice(-lines);
    return redactPatterns(recent.join('\n'));
  }
}
