// Build step (esbuild.js): prints the JSON Schema of .plugboard/connections.json for dist/.
import { BACKENDS } from '../src/backends';
import { connectionsJsonSchema } from '../src/core/connectionsSchema';

process.stdout.write(`${JSON.stringify(connectionsJsonSchema(BACKENDS), null, 2)}\n`);
