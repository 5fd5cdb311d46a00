import { z } from '../../zod';
import { OverridesFile } from './file';

/**
 * The JSON Schema of `.plugboard/overrides.json`, contributed to VS Code (`jsonValidation`) so hand edits get
 * completion, descriptions and errors. Written at build time into dist/ (esbuild.js), from the zod schema
 * that validates the file at generation time, so the two never disagree on shape. (The checks only code can
 * make — that a `tsType` is one type expression — run at generation time.)
 */
export function overridesJsonSchema(): object {
  const { $schema: _drop, ...schema } = z.toJSONSchema(OverridesFile, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Plugboard overrides',
    description: 'Names, types and nullability generated code should use, by schema, table or collection, and field, as the database names them. Survives regeneration.',
    ...schema,
  };
}
