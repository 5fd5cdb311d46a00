import type * as zod from 'zod';
import { lazyModule, realOf } from './lazy';

/**
 * Every zod schema in src/ is built from this module's `z` (ESLint refuses a direct import of 'zod' there),
 * so the configuration below is in force before the first schema exists, whatever order a bundle evaluates
 * modules in. zod's JIT probes `navigator` to detect Cloudflare workers; in the VS Code extension host that
 * global is a getter that logs a PendingMigrationError on every access. Validation is not hot enough here to
 * need the JIT, so it is turned off.
 *
 * zod itself loads on first use: activation and `plugboard --help` never evaluate it. Module-level schemas
 * are wrapped in `lazySchema` (src/core/lazy.ts) for the same reason; in the bundle, this `require` is a
 * file of its own (esbuild.js). A lazy schema handed to a zod factory (`z.array(Field)`, a shape, a getter
 * of `z.lazy`) is replaced by the real schema first: zod keys its JSON Schema conversion and its metadata
 * by object identity, so it must only ever see real schemas.
 */
export const z: typeof zod.z = lazyModule(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { z: real } = require('zod') as typeof zod;
  real.config({ jitless: true });
  // Factories (object, array, lazy, union, …) start lower-case; classes (ZodObject, …) are kept as they are.
  const entries = Object.keys(real).map((key) => {
    const value = (real as Record<string, unknown>)[key];
    return [key, typeof value === 'function' && /^[a-z]/.test(key) ? unwrapping(value as (...args: unknown[]) => unknown) : value];
  });
  return Object.fromEntries(entries) as typeof zod.z;
});

function unwrapping(factory: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return (...args) => factory(...args.map((a) => (typeof a === 'function' ? (...inner: unknown[]) => realOf((a as (...x: unknown[]) => unknown)(...inner)) : realOf(a))));
}

/** The types `z.infer<…>` and friends, beside the lazily loaded value. */
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace z {
  export type infer<T> = zod.z.infer<T>;
  export type input<T> = zod.z.input<T>;
  export type output<T> = zod.z.output<T>;
  export type ZodType<O = unknown, I = unknown> = zod.z.ZodType<O, I>;
  export type RefinementCtx = zod.z.RefinementCtx;
  // eslint-disable-next-line @typescript-eslint/no-namespace
  export namespace core {
    export type $ZodIssue = zod.z.core.$ZodIssue;
  }
}

export type { ZodError, ZodType } from 'zod';
