// Build step (esbuild.js): prints the JSON Schema of .plugboard/overrides.json for dist/.
import { overridesJsonSchema } from '../src/core/codegen/overrides/jsonSchema';

process.stdout.write(`${JSON.stringify(overridesJsonSchema(), null, 2)}\n`);
