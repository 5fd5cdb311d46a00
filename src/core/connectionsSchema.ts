import { z } from './zod';
import type { BackendModule } from './backend';
import { CodegenSettings, CONNECTIONS_FILE_VERSION } from './model/profile';

/**
 * The JSON Schema of `.plugboard/connections.json` (version 2), contributed to VS Code (`jsonValidation`) so
 * hand edits get completion and errors: one branch per backend kind, whose `options` are that backend's own
 * zod schema. Written at build time into dist/; the zod schemas stay the one source of truth.
 */
export function connectionsJsonSchema(backends: readonly BackendModule<object>[]): object {
  const jsonOf = (schema: z.ZodType) => {
    const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    return rest;
  };
  const profile = (b: BackendModule<object>) => ({
    type: 'object',
    description: `${b.label}: ${b.description}`,
    properties: {
      id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$', description: 'Stable id; secrets in the OS keychain are stored under it.' },
      name: { type: 'string', minLength: 1, maxLength: 120 },
      kind: { const: b.kind },
      options: jsonOf(b.options as z.ZodType),
      codegen: jsonOf(CodegenSettings),
    },
    required: ['id', 'name', 'kind'],
    additionalProperties: false,
  });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Plugboard connections',
    description: 'Connection profiles shared with the team. Never put a password, key or token here: they live in your OS keychain.',
    type: 'object',
    properties: {
      $schema: { type: 'string' },
      version: { const: CONNECTIONS_FILE_VERSION },
      connections: { type: 'array', items: { oneOf: backends.map(profile) } },
    },
    required: ['version', 'connections'],
    additionalProperties: false,
  };
}
