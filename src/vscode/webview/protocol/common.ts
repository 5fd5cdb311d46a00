import * as z from 'zod/mini';

/**
 * Pieces both webviews' protocols share. These modules import only zod (its `mini` build: a few kilobytes
 * in a webview bundle instead of a hundred): the extension and the webview bundles compile the very same
 * schemas, so a message is described once and checked on arrival on each side.
 */

/** A string of at most `max` characters. */
export const text = (max: number) => z.string().check(z.maxLength(max));
/** A whole number from `min` up. */
export const whole = (min = 0) => z.number().check(z.int(), z.gte(min));

/** A PlugboardError as a webview shows it: already redacted by the extension. */
export const ErrorView = z.object({
  code: text(64),
  message: text(4_000),
  hint: text(4_000),
});
export type ErrorView = z.infer<typeof ErrorView>;

/**
 * What a webview reports when its Content-Security-Policy blocked something: the extension logs it and the
 * tests assert there is none.
 */
export const CspViolation = z.object({
  type: z.literal('cspViolation'),
  directive: text(200),
  blocked: text(500),
});
export type CspViolation = z.infer<typeof CspViolation>;

/** Tells the extension the webview's script runs and listens (sent again after a hidden panel reloads). */
export const Ready = z.object({ type: z.literal('ready') });

/** What both ends need of a schema: checking a message (the extension's and the webview's code alike). */
export interface MessageSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { message: string }[] } };
  parse(value: unknown): T;
}
