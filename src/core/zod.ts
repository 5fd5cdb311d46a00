import { z } from 'zod';

/**
 * Every zod schema in src/ is built from this module's `z` (ESLint refuses a direct import of 'zod' there),
 * so the configuration below is in force before the first schema exists, whatever order a bundle evaluates
 * modules in. zod's JIT probes `navigator` to detect Cloudflare workers; in the VS Code extension host that
 * global is a getter that logs a PendingMigrationError on every access. Validation is not hot enough here to
 * need the JIT, so it is turned off.
 */
z.config({ jitless: true });

export { z };
export type { ZodError, ZodType } from 'zod';
