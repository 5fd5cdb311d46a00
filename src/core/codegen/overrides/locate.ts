/**
 * Where a path of keys points in a JSON text, so errors and warnings about an overrides file can name a line
 * (the CLI) or underline the key (the editor's Problems panel). The text is valid JSON by the time this runs
 * (JSON.parse has read it); a path that goes further than the text does ends at the deepest key found.
 */
export interface JsonLocation {
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
  /** Length of the key (with its quotes), or 1 at the start of a value. */
  length: number;
}

export function locateJson(text: string, at: readonly (string | number)[]): JsonLocation | undefined {
  const scanner = new Scanner(text);
  try {
    const found = scanner.find(at);
    return found ? position(text, found.offset, found.length) : undefined;
  } catch {
    return undefined;
  }
}

function position(text: string, offset: number, length: number): JsonLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1, length };
}

class Scanner {
  private i = 0;
  constructor(private readonly text: string) {}

  find(at: readonly (string | number)[]): { offset: number; length: number } | undefined {
    this.ws();
    let best: { offset: number; length: number } | undefined = { offset: this.i, length: 1 };
    for (const step of at) {
      const found = this.enter(step);
      if (!found) return best;
      best = found;
    }
    return best;
  }

  /** Moves to the value under `step` in the container at the cursor; returns where its key is. */
  private enter(step: string | number): { offset: number; length: number } | undefined {
    const open = this.text[this.i];
    if (open === '{' && typeof step === 'string') {
      this.i++;
      for (this.ws(); this.more() && this.text[this.i] !== '}'; ) {
        const keyAt = this.i;
        const key = this.string();
        const keyLength = this.i - keyAt;
        this.ws();
        this.i++; // ':'
        this.ws();
        if (key === step) return { offset: keyAt, length: keyLength };
        this.skip();
        this.ws();
        if (this.text[this.i] === ',') this.i++;
        this.ws();
      }
      return undefined;
    }
    if (open === '[' && typeof step === 'number') {
      this.i++;
      this.ws();
      for (let n = 0; this.more() && this.text[this.i] !== ']'; n++) {
        if (n === step) return { offset: this.i, length: 1 };
        this.skip();
        this.ws();
        if (this.text[this.i] === ',') this.i++;
        this.ws();
      }
    }
    return undefined;
  }

  private more(): boolean {
    return this.i < this.text.length;
  }

  private ws(): void {
    while (/\s/.test(this.text[this.i] ?? '')) this.i++;
  }

  private string(): string {
    const start = this.i;
    for (this.i++; this.i < this.text.length && this.text[this.i] !== '"'; this.i++) if (this.text[this.i] === '\\') this.i++;
    this.i++;
    return JSON.parse(this.text.slice(start, this.i)) as string;
  }

  private skip(): void {
    const c = this.text[this.i];
    if (c === '"') {
      this.string();
      return;
    }
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      this.i++;
      for (this.ws(); this.more() && this.text[this.i] !== close; this.ws()) {
        if (c === '{') {
          this.string();
          this.ws();
          this.i++; // ':'
          this.ws();
        }
        this.skip();
        this.ws();
        if (this.text[this.i] === ',') this.i++;
      }
      this.i++;
      return;
    }
    while (this.i < this.text.length && !/[\s,\]}]/.test(this.text[this.i]!)) this.i++;
  }
}
