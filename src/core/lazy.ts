/**
 * Values built on first use. The extension and the CLI start without evaluating zod or parsing libraries:
 * a module-level schema is written `lazySchema(() => z.object(…))`, and heavy libraries are `require`d
 * inside a `lazyModule` loader (esbuild.js turns those requires into separate files in dist/).
 */

/**
 * A stand-in for the object `build` returns, built on the first property access and kept: `X.safeParse`,
 * `X.shape`, `instanceof` and zod's own use of it as a child schema all see the real object.
 */
export function lazyObject<T extends object>(build: () => T): T {
  let value: T | undefined;
  const real = (): T => (value ??= build());
  const standIn = new Proxy(Object.create(null) as T, {
    // Methods are returned unbound: called on the stand-in, `this` is the stand-in, which forwards too.
    get: (_t, key) => Reflect.get(real(), key),
    set: (_t, key, next) => Reflect.set(real(), key, next),
    has: (_t, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(real(), key);
      return d && { ...d, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
  standIns.set(standIn, real);
  return standIn;
}

const standIns = new WeakMap<object, () => object>();

/**
 * The real object behind a stand-in (built now if it was not yet); anything else as it is. Arrays and plain
 * objects (a zod shape, a union's options) are looked into one level deep.
 */
export function realOf<T>(value: T, deep = true): T {
  if (typeof value !== 'object' || value === null) return value;
  const real = standIns.get(value);
  if (real) return real() as T;
  if (!deep) return value;
  if (Array.isArray(value)) return value.map((v: unknown) => realOf(v, false)) as T;
  if (Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, realOf(v as unknown, false)])) as T;
  }
  return value;
}

/** A zod schema (or anything else) constructed on first use rather than at module load. */
export const lazySchema: <T extends object>(build: () => T) => T = lazyObject;

/** A module loaded with a synchronous `require` on first use. */
export const lazyModule: <T extends object>(load: () => T) => T = lazyObject;
