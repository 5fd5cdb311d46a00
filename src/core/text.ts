/**
 * Whether a string is well-formed UTF-16: no lone surrogate. Such a string cannot be encoded (encodeURIComponent
 * throws, UTF-8 output replaces it), so text that must travel (URLs, names sent to servers) is refused with it.
 * String.prototype.isWellFormed does the same from ES2024 on.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
