// Bundles the extension, the CLI and the webviews' scripts into dist/.
//
// Startup pays only for what it runs: dist/extension.js and dist/cli.js are small, and everything heavy is a
// file of its own, required on first use:
// - each backend's driver (backend-<kind>.js) and each codegen target, through the `import()`s in src/;
// - libraries needed synchronously but rarely (zod, semver, the connection-string parsers, jsonc-parser, handlebars'
//   compiler), through `lazyModule(() => require('<package>'))` in src/: VENDOR below maps each to vendor-*.js;
// - the built-in templates, precompiled by handlebars into dist/templates-precompiled.js (templates in a user's folder
//   still compile at run time).
// esbuild splits code only for ESM output, and VS Code (^1.95) loads extensions as CommonJS. So the bundle is
// built as ESM with splitting — every module lands in exactly one file, so classes and caches are never
// duplicated across files — and each output file is then rewritten to CommonJS (static imports become
// requires at the top, `import()` a require on first use). PGlite ships WASM next to its JS, so it stays
// external and is shipped in node_modules (see .vscodeignore).
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');
const { precompileTemplates } = require('./scripts/precompile-templates');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdirArg = process.argv.indexOf('--outdir');
const outdir = path.resolve(outdirArg > 0 ? process.argv[outdirArg + 1] : 'dist');

const EXTERNAL = ['vscode', 'pg-native', '@electric-sql/pglite', '@electric-sql/pglite-socket'];

/** Packages src/ loads with a synchronous require on first use → the dist file each becomes. */
// (zod's file is built from src/core/zodVendor.ts, the part of zod src/ uses: see VENDOR_ENTRY.)
const VENDOR = {
  zod: 'vendor-zod',
  semver: 'vendor-semver',
  'pg-connection-string': 'vendor-pg-connection-string',
  'mongodb-connection-string-url': 'vendor-mongodb-connection-string-url',
  handlebars: 'vendor-handlebars',
  'jsonc-parser': 'vendor-jsonc-parser',
};

/** A vendor file built from a module of ours instead of the package's own entry (which keeps every export). */
const VENDOR_ENTRY = {
  zod: 'src/core/zodVendor.ts',
  // Its CommonJS build loads its parts with a require() esbuild cannot follow; its ES build bundles.
  'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js',
};

/** The drivers, under names that say what they are (each backend's `load()` imports its driver). */
const BACKENDS = fs.readdirSync('src/backends', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

const entryPoints = {
  extension: 'src/extension.ts',
  cli: 'src/cli/main.ts',
  // The drift check's worker thread (src/core/introspect/drift.ts starts it by this name).
  diffWorker: 'src/core/introspect/diffWorker.ts',
  ...Object.fromEntries(BACKENDS.map((kind) => [`backend-${kind}`, `src/backends/${kind}/driver.ts`])),
  ...Object.fromEntries(Object.entries(VENDOR).map(([pkg, name]) => [name, VENDOR_ENTRY[pkg] ?? pkg])),
};

const SRC = path.resolve('src') + path.sep;
const { isBuiltin } = require('node:module');

/** `require('<vendor package>')` in src/ stays a require, of the package's own file in dist/. */
const lazyRequires = {
  name: 'lazy-requires',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'require-call' || !args.importer.startsWith(SRC)) return undefined;
      if (VENDOR[args.path]) return { path: `./${VENDOR[args.path]}.js`, external: true };
      if (EXTERNAL.includes(args.path) || isBuiltin(args.path)) return undefined;
      return { errors: [{ text: `require('${args.path}') in src/ must be listed in esbuild.js's VENDOR (or be an import).` }] };
    });
  },
};

/** Rewrites the ESM outputs to CommonJS in place; esbuild carries the source maps through. */
const toCommonJs = {
  name: 'to-commonjs',
  setup(build) {
    build.onEnd(async (result) => {
      if (result.errors.length) return;
      // What went where, for esbuild's analyzer (https://esbuild.github.io/analyze/) or a script.
      if (process.env.PLUGBOARD_BUNDLE_META) fs.writeFileSync(process.env.PLUGBOARD_BUNDLE_META, JSON.stringify(result.metafile));
      const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js')).map((f) => path.resolve(f));
      const cli = path.join(outdir, 'cli.js');
      const rewrite = {
        bundle: false,
        format: 'cjs',
        platform: 'node',
        target: 'node20',
        // import() of a chunk becomes a require on first use (the extension host's require knows 'vscode').
        supported: { 'dynamic-import': false },
        minify: production,
        sourcemap: !production,
        // The first pass already reported what matters; this one would only lint bundled node_modules.
        logLevel: 'error',
        outdir,
        allowOverwrite: true,
      };
      await Promise.all([
        esbuild.build({ ...rewrite, entryPoints: files.filter((f) => f !== cli) }),
        esbuild.build({ ...rewrite, entryPoints: [cli], banner: { js: '#!/usr/bin/env node' } }),
      ]);
      // A CommonJS package as an ESM entry exports only `default`; `require` of its file must return what
      // `require` of the package returns (as it does when src/ runs from out/).
      for (const [file, meta] of Object.entries(result.metafile.outputs)) {
        if (!file.endsWith('.js') || meta.exports.join() !== 'default' || !Object.values(VENDOR).includes(path.basename(file, '.js'))) continue;
        fs.appendFileSync(path.resolve(file), 'module.exports = module.exports.default;\n');
      }
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: EXTERNAL,
  // jsonc-parser's CommonJS build loads its parts with a require() esbuild cannot follow; its ES build bundles.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
};

/**
 * pg picks its socket by asking whether it runs in a Cloudflare Worker, and on node 20 (no `navigator`) it asks by
 * constructing a `Response`, which loads node's whole fetch implementation: 30-40 ms the first time a
 * connection is opened, in the CLI and in an extension host on node 20, for a branch a node bundle never takes.
 * The bundle takes node's sockets directly; if pg's file changes shape, the build says so instead of guessing.
 */
const pgNodeStreams = {
  name: 'pg-node-streams',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]pg[\\/]lib[\\/]stream\.js$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      const asked = 'const { getStream, getSecureStream } = getStreamFuncs()';
      if (!text.includes(asked)) return { errors: [{ text: `pg/lib/stream.js no longer starts with "${asked}": review esbuild.js's pg-node-streams plugin.` }] };
      return { contents: text.replace(asked, 'const { getStream, getSecureStream } = getNodejsStreamFuncs()'), loader: 'js' };
    });
  },
};

const node = {
  ...common,
  entryPoints,
  outdir,
  format: 'esm',
  splitting: true,
  chunkNames: 'chunk-[hash]',
  metafile: true,
  plugins: [lazyRequires, pgNodeStreams, toCommonJs],
};

// The webviews' scripts run in VS Code's webview (Chromium): one self-contained file each, loaded by the
// page's nonce (see src/vscode/webview/html.ts), with @vscode-elements/elements, lit and zod inside.
const webviews = {
  ...common,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  external: [],
  entryPoints: { preview: 'src/vscode/webview/ui/preview.ts', form: 'src/vscode/webview/ui/form.ts' },
  outdir: path.join(outdir, 'webview'),
};

async function main() {
  // Chunk names carry a hash: files of an earlier build would otherwise pile up (and ship).
  for (const f of fs.existsSync(outdir) ? fs.readdirSync(outdir) : []) {
    if (/\.js(\.map)?$/.test(f)) fs.rmSync(path.join(outdir, f));
  }
  fs.mkdirSync(outdir, { recursive: true });
  precompileTemplates('templates', path.join(outdir, 'templates-precompiled.js'));
  if (watch) {
    for (const b of [node, webviews]) await (await esbuild.context(b)).watch();
    return;
  }
  await Promise.all([node, webviews].map((b) => esbuild.build(b)));
  await writeJsonSchema('scripts/connections-schema.ts', 'connections.schema.json');
  await writeJsonSchema('scripts/overrides-schema.ts', 'overrides.schema.json');
}

/**
 * <outdir>/<name>, the JSON Schema a script prints from zod schemas (package.json's jsonValidation
 * contributes it): connections.schema.json from the backends' own option schemas, overrides.schema.json from
 * the overrides file's.
 */
async function writeJsonSchema(script, name) {
  const os = require('node:os');
  const { execFileSync } = require('node:child_process');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plugboard-schema-'));
  try {
    const outfile = path.join(tmp, 'schema.js');
    await esbuild.build({ ...common, format: 'cjs', sourcemap: false, minify: false, entryPoints: [script], outfile });
    fs.writeFileSync(path.join(outdir, name), execFileSync(process.execPath, [outfile]));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
