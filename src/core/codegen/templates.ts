import { createHash } from 'node:crypto';
import { promises as fs, existsSync } from 'node:fs';
import * as path from 'node:path';
import type HandlebarsCompiler from 'handlebars';
import Handlebars from 'handlebars/runtime';
import { PlugboardError } from '../errors';
import { lazyModule } from '../lazy';
import { blockComment, identifier, lineComment, mdCode, mdText, objectLiteralKey, propertyKey, tsString } from './naming';

export type RenderFn = (view: object) => string;

/** Finds the built-in `templates/` folder from wherever this code was bundled or compiled to. */
let builtinDir: string | undefined;
export function builtinTemplatesDir(): string {
  if (builtinDir) return builtinDir;
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'templates');
    if (existsSync(path.join(candidate, 'ts-types.hbs'))) return (builtinDir = candidate);
  }
  throw new PlugboardError('INTERNAL', `Plugboard's templates folder was not found near ${__dirname}.`);
}

/** How every template is compiled: it renders TypeScript, so nothing is HTML-escaped; unknown names throw. */
export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

// The compiler is needed only for a user's own templates (and a built-in one edited after the build): the
// bundle's built-in templates come precompiled (dist/templates-precompiled.js, written by esbuild.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const compiler = lazyModule(() => require('handlebars') as typeof HandlebarsCompiler);

export interface Precompiled {
  options: object;
  templates: Record<string, { sha256: string; spec: TemplateSpecification }>;
}

const builtinCache = new Map<string, RenderFn>();

/** The precompiled built-in templates beside the bundle, or undefined (tests run from out/, a dev build). */
let precompiled: Precompiled | null | undefined;
export function precompiledTemplates(): Precompiled | undefined {
  if (precompiled === undefined) {
    const file = path.join(__dirname, 'templates-precompiled.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    precompiled = accepted(existsSync(file) ? (require(file) as Precompiled) : undefined);
  }
  return precompiled ?? undefined;
}

/** Precompiled templates are used only if they were compiled with the options `compile` uses here. */
function accepted(module: Precompiled | undefined): Precompiled | null {
  return module && JSON.stringify(module.options) === JSON.stringify(COMPILE_OPTIONS) ? module : null;
}

/**
 * Uses these precompiled templates (a module as esbuild.js writes it), or compiles every template when
 * undefined, from now on. For the test that both render the same bytes.
 */
export function usePrecompiledTemplates(module: Precompiled | undefined): void {
  precompiled = accepted(module);
  builtinCache.clear();
}

type Env = ReturnType<typeof Handlebars.create>;

function registerHelpers(hb: Env): Env {
  // One helper per output context; each is idempotent on its own output, so text a target already escaped
  // (and a custom template that forgets the helper) stays safe.
  hb.registerHelper('str', (v: unknown) => tsString(String(v)));
  hb.registerHelper('key', (v: unknown) => propertyKey(String(v)));
  hb.registerHelper('objkey', (v: unknown) => objectLiteralKey(String(v)));
  hb.registerHelper('id', (v: unknown) => identifier(String(v)));
  hb.registerHelper('doc', (v: unknown) => blockComment(String(v ?? '')));
  hb.registerHelper('line', (v: unknown) => lineComment(String(v ?? '')));
  hb.registerHelper('md', (v: unknown) => mdText(String(v ?? '')));
  hb.registerHelper('code', (v: unknown) => mdCode(String(v ?? '')));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  return hb;
}

/** An environment that runs precompiled templates, and one that can also compile (loaded when needed). */
const runtimeEnv = (): Env => registerHelpers(Handlebars.create());
const compilerEnv = (): typeof HandlebarsCompiler => registerHelpers(compiler.create() as unknown as Env) as unknown as typeof HandlebarsCompiler;


/**
 * Loads templates by name: from the user's folder (`plugboard.templatesDir`) when it has `<name>.hbs`,
 * else Plugboard's own. Templates render TypeScript, so nothing is HTML-escaped; every dynamic string a
 * template emits goes through the escaper of its context: `str` (string literal), `key` (a property in a
 * type), `objkey` (a property in an object literal that runs), `id` (identifier), `doc` (block comment),
 * `line` (line comment), and `md`/`code` in Markdown.
 */
export class TemplateSet {
  private runtime?: Env;
  private compilerEnv?: typeof HandlebarsCompiler;
  private readonly compiled = new Map<string, RenderFn>();

  constructor(private readonly userDir?: string) {}

  async load(names: readonly string[]): Promise<void> {
    await Promise.all(names.map((n) => this.loadOne(n)));
  }

  get(name: string): RenderFn {
    const fn = this.compiled.get(name);
    if (!fn) throw new PlugboardError('INTERNAL', `Template "${name}" was used before it was loaded.`);
    return fn;
  }

  private async loadOne(name: string): Promise<void> {
    if (this.userDir) {
      const file = path.join(this.userDir, `${name}.hbs`);
      const text = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return undefined;
        throw new PlugboardError('INVALID_CONFIG', `Cannot read template ${file}: ${e.message}`);
      });
      if (text !== undefined) {
        this.compiled.set(name, this.compile(text, file));
        return;
      }
    }
    let fn = builtinCache.get(name);
    if (!fn) {
      const file = path.join(builtinTemplatesDir(), `${name}.hbs`);
      const text = await fs.readFile(file, 'utf8');
      const pre = precompiledTemplates()?.templates[name];
      fn = pre && pre.sha256 === createHash('sha256').update(text).digest('hex') ? this.fromSpec(pre.spec, file) : this.compile(text, file);
      builtinCache.set(name, fn);
    }
    this.compiled.set(name, fn);
  }

  private fromSpec(spec: TemplateSpecification, file: string): RenderFn {
    const template = (this.runtime ??= runtimeEnv()).template(spec);
    return (view) => renderOrExplain(template, view, file);
  }

  private compile(text: string, file: string): RenderFn {
    const env = (this.compilerEnv ??= compilerEnv());
    try {
      env.parse(text); // surfaces syntax errors now, with the file name, not mid-generation
    } catch (err) {
      throw new PlugboardError('INVALID_CONFIG', `Template ${file} does not compile: ${(err as Error).message}`);
    }
    const template = env.compile(text, COMPILE_OPTIONS);
    return (view) => renderOrExplain(template, view, file);
  }
}

function renderOrExplain(template: HandlebarsTemplateDelegate, view: object, file: string): string {
  try {
    return template(view);
  } catch (err) {
    throw new PlugboardError('INVALID_CONFIG', `Template ${file} failed: ${(err as Error).message}`);
  }
}
