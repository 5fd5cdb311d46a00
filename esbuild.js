// Bundles the extension, the CLI and the webviews' scripts. Drivers stay lazily loaded: esbuild keeps dynamic import() chunks
// inside the bundle but they are only evaluated on first use. PGlite ships WASM next to its JS, so it stays
// external and is shipped in node_modules (see .vscodeignore).
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: ['vscode', 'pg-native', '@electric-sql/pglite', '@electric-sql/pglite-socket'],
  // jsonc-parser's CommonJS build loads its parts with a require() esbuild cannot follow; its ES build bundles.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
};

// The webviews' scripts run in VS Code's webview (Chromium): one self-contained file each, loaded by the
// page's nonce (see src/vscode/webview/html.ts), with @vscode-elements/elements, lit and zod inside.
const webviews = {
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  entryPoints: { preview: 'src/vscode/webview/ui/preview.ts', form: 'src/vscode/webview/ui/form.ts' },
  outdir: 'dist/webview',
};

async function main() {
  const builds = [
    { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
    { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
    webviews,
  ];
  if (watch) {
    for (const b of builds) await (await esbuild.context(b)).watch();
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
  await writeJsonSchema('scripts/connections-schema.ts', 'connections.schema.json');
  await writeJsonSchema('scripts/overrides-schema.ts', 'overrides.schema.json');
}

/**
 * dist/<name>, the JSON Schema a script prints from zod schemas (package.json's jsonValidation contributes
 * it): connections.schema.json from the backends' own option schemas, overrides.schema.json from the
 * overrides file's.
 */
async function writeJsonSchema(script, name) {
  const fs = require('node:fs');
  const os = require('node:os');
  const path = require('node:path');
  const { execFileSync } = require('node:child_process');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plugboard-schema-'));
  try {
    const outfile = path.join(tmp, 'schema.js');
    await esbuild.build({ ...common, sourcemap: false, minify: false, entryPoints: [script], outfile });
    fs.mkdirSync('dist', { recursive: true });
    fs.writeFileSync(path.join('dist', name), execFileSync(process.execPath, [outfile]));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
