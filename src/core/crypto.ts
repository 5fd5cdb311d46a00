import type * as Crypto from 'node:crypto';
import { lazyModule } from './lazy';

/**
 * node:crypto, loaded on first use. Requiring it costs ~3 ms, and the modules the editor and the CLI load at
 * startup (the profile store, the provider registry, the fingerprint for CodeLens) use it only when they
 * write a file or hash a schema.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const crypto = lazyModule(() => require('node:crypto') as typeof Crypto);
