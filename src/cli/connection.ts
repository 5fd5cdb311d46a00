import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ProviderLookup } from '../core/backend';
import type { BackendCatalog } from '../core/catalog';
import { PlugboardError } from '../core/errors';
import { parseProviderJson, type ConnectionProfile, type ProviderDefinition, type Secret } from '../core/model';
import { redactor } from '../core/redact';
import { ProviderRegistry } from '../core/registry/registry';
import type { CliArgs } from './args';

export interface CliConnection {
  profile: ConnectionProfile;
  secret: Secret;
  providers: ProviderLookup;
}

const noProviders: ProviderLookup = { get: () => undefined };

/**
 * The profile the CLI works on, from `--url`/`--url-env` (the backend is the URL's scheme), `--provider`
 * (a REST definition file or id) or `--demo`. Secrets come from the URL, the backend's environment variable
 * (PGPASSWORD, …) or `--secret-env`; each is registered with the redactor before anything can print it.
 */
export async function cliConnection(args: CliArgs, backends: BackendCatalog): Promise<CliConnection> {
  const sources = [args.url !== undefined || args.urlEnv !== undefined, args.provider !== undefined, args.demo || args.command === 'demo'].filter(Boolean).length;
  if (sources > 1) throw usage('Give one connection: --url/--url-env, --provider or --demo.');
  if (args.demo || args.command === 'demo') return demoConnection(args, backends);
  if (args.provider !== undefined) return providerConnection(args);
  let url = args.url;
  if (args.urlEnv) {
    url = process.env[args.urlEnv];
    if (!url) throw usage(`Environment variable ${args.urlEnv} is not set.`, 'Export it, or pass --url, --provider or --demo.');
  }
  if (!url) throw usage('No connection given.', 'Pass --url-env VAR, --url URL, --provider FILE or --demo.');
  if (/[\r\n]/.test(url)) throw usage('The connection URL contains a line break.', 'Check how the URL was pasted or quoted.');
  const backend = backends.forUrl(url);
  const { options, secret } = backend.parse(url);
  for (const field of backend.secrets) {
    const fromEnv = field.env ? process.env[field.env] : undefined;
    if (secret[field.key] === undefined && fromEnv) secret[field.key] = fromEnv;
  }
  Object.values(secret).forEach((v) => redactor.register(v));
  return { profile: { id: 'cli', name: args.name, kind: backend.kind, options: options as Record<string, unknown> }, secret, providers: noProviders };
}

function demoConnection(args: CliArgs, backends: BackendCatalog): CliConnection {
  const backend = backends.list().find((b) => b.demo);
  if (!backend?.demo) throw usage('No backend offers a demo database.');
  // The demo's default name is the one the editor's "Open Demo Database" uses, so the CodeLens finds it.
  const name = args.nameGiven ? args.name : backend.demo.name;
  return { profile: { id: 'cli', name, kind: backend.kind, options: backend.demo.options as Record<string, unknown> }, secret: {}, providers: noProviders };
}

async function providerConnection(args: CliArgs): Promise<CliConnection> {
  const registry = new ProviderRegistry({ workspaceRoot: process.cwd() });
  await registry.load();
  let definition: ProviderDefinition | undefined;
  let file: string | undefined;
  if (/\.json$/i.test(args.provider!)) {
    file = path.resolve(args.provider!);
    const text = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw usage(`Cannot read the provider definition ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}.`);
    });
    definition = parseProviderJson(text, file);
  } else {
    const entry = registry.get(args.provider!);
    if (!entry) throw usage(`No provider "${args.provider}" in .plugboard/providers or the built-in templates.`, 'Pass the definition file instead: --provider path/to/provider.json.');
    definition = entry.definition;
    file = entry.file;
  }
  let secret: Secret = {};
  if (args.secretEnv) {
    const value = process.env[args.secretEnv];
    if (!value) throw usage(`Environment variable ${args.secretEnv} is not set.`);
    redactor.register(value);
    const { secretFromText } = await import('../backends/http/api');
    secret = secretFromText(definition, value);
    Object.values(secret).forEach((v) => redactor.register(v));
  }
  const def = definition;
  const providers: ProviderLookup = { get: (id) => (id === def.id ? { definition: def, file } : registry.get(id)) };
  const profile: ConnectionProfile = { id: 'cli', name: args.name, kind: 'http', options: { provider: def.id, variables: args.vars } };
  return { profile, secret, providers };
}

function usage(message: string, hint = 'Run plugboard --help.'): PlugboardError {
  return new PlugboardError('INVALID_CONFIG', message, { hint });
}
