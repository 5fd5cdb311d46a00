import { z } from 'zod';

/**
 * zod's JIT probes `navigator` to detect Cloudflare workers; in the VS Code extension host that global is a
 * getter that logs a PendingMigrationError on every access. Validation is not hot enough here to need the
 * JIT, so it is turned off before any schema is built (this module is imported first by model/index.ts).
 */
z.config({ jitless: true });
