/**
 * Checks values read back from the server against the TypeScript types Plugboard generated for them: the
 * property types of a generated `…Row` interface are read from the file, and each value must be one of them
 * (typeof / instanceof / literal membership). A type text the checker does not know fails loudly, so a new
 * mapping cannot slip through unchecked.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runProgram, type RunResult } from './workdir';
import { REPO } from './workdir';

/** Property name → type text of `export interface <name> { … }` in a generated types file. */
export function rowTypes(source: string, interfaceName: string): Map<string, string> {
  const start = source.indexOf(`export interface ${interfaceName} {\n`);
  if (start < 0) throw new Error(`interface ${interfaceName} not found`);
  const body = source.slice(source.indexOf('\n', start) + 1, source.indexOf('\n}', start));
  const out = new Map<string, string>();
  for (const line of body.split('\n')) {
    const m = /^ {2}("(?:[^"\\]|\\.)*"|[^\s:?]+)\??: (.*);$/.exec(line);
    if (m) out.set(m[1]!.startsWith('"') ? (JSON.parse(m[1]!) as string) : m[1]!, m[2]!);
  }
  return out;
}

/** Splits `A | "b|c" | (C | D)[]` at its top-level bars. */
function alternatives(type: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < type.length; i++) {
    const c = type[i]!;
    if (quoted) {
      current += c;
      if (c === '\\') current += type[++i] ?? '';
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
      current += c;
    } else if (c === '(' || c === '{' || c === '[') {
      depth++;
      current += c;
    } else if (c === ')' || c === '}' || c === ']') {
      depth--;
      current += c;
    } else if (c === '|' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += c;
  }
  out.push(current.trim());
  return out;
}

const isPoint = (v: unknown) => typeof v === 'object' && v !== null && typeof (v as { x?: unknown }).x === 'number' && typeof (v as { y?: unknown }).y === 'number';
const isGeometry = (v: unknown): boolean => isPoint(v) || (Array.isArray(v) && v.every(isGeometry));
const isJson = (v: unknown): boolean =>
  v === null || ['string', 'number', 'boolean'].includes(typeof v) || (Array.isArray(v) ? v.every(isJson) : typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype && Object.values(v as object).every(isJson));

const SIMPLE: Record<string, (v: unknown) => boolean> = {
  null: (v) => v === null,
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  boolean: (v) => typeof v === 'boolean',
  Date: (v) => v instanceof Date && !Number.isNaN(v.getTime()),
  Buffer: (v) => Buffer.isBuffer(v),
  Json: isJson,
  GeoPoint: isPoint,
  Geometry: isGeometry,
};

/** The value is one of the type's alternatives. */
export function conforms(value: unknown, type: string): boolean {
  return alternatives(type).some((alt) => {
    if (alt.startsWith('"')) return value === JSON.parse(alt);
    if (alt.endsWith('[]')) {
      const element = alt.slice(0, -2).replace(/^\((.*)\)$/, '$1');
      return Array.isArray(value) && value.every((v) => conforms(v, element));
    }
    const check = SIMPLE[alt];
    if (!check) throw new Error(`the checker does not know the type ${alt}`);
    return check(value);
  });
}

/** The type without its `| null`, to prove a non-null value took the interesting branch. */
export function nonNull(type: string): string {
  return alternatives(type).filter((a) => a !== 'null').join(' | ');
}

export const STRICT_FLAGS = {
  strict: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  noImplicitOverride: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noFallthroughCasesInSwitch: true,
};

/**
 * tsc over the *.ts files of `dir` with `--strict` and the stricter checks many projects add; @types/node only
 * (mysql2's own typings need it). Emits CommonJS to `js/` when asked, so tests can run what was generated.
 */
export async function compileStrict(dir: string, emit: boolean): Promise<RunResult> {
  const tsconfig = {
    compilerOptions: {
      ...STRICT_FLAGS,
      target: 'ES2022',
      module: 'commonjs',
      moduleResolution: 'node',
      lib: ['ES2022'],
      types: ['node'],
      noEmit: !emit,
      outDir: 'js',
      skipLibCheck: true,
      esModuleInterop: true,
    },
    include: ['*.ts'],
  };
  await fs.writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  return runProgram(path.join(REPO, 'node_modules', '.bin', 'tsc'), ['-p', dir], { cwd: dir, timeoutMs: 120_000 });
}
