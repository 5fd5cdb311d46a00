import { PlugboardError } from '../errors';
import { formatPath, VARIABLE_PATTERN } from '../model';
import { isWellFormedText } from '../text';

/**
 * Filling `{{variables}}` into a URL template so that each value stays the URL part it stands in. A variable
 * in a path becomes one encoded segment, in a query or fragment one encoded component, in a host one or more
 * DNS labels, in a port digits; a variable that opens the template stands for an origin (or, in a test
 * endpoint, a path) and may not carry a query or fragment that would swallow the rest. So a value such as
 * `evil.example/`, `evil.example#`, `../` or `?admin=1&` can never move the request to another origin, path or
 * query than the definition sets. Messages name the variable and the field, never the value.
 */
type Part = 'origin' | 'host' | 'port' | 'path' | 'query' | 'fragment';

const LABELS = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/** Which part of a URL the text written so far leaves the next character in. */
function partAfter(prefix: string, relative: boolean): Part {
  if (prefix === '') return 'origin';
  if (prefix.includes('#')) return 'fragment';
  if (prefix.includes('?')) return 'query';
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)$/i.exec(prefix)?.[1];
  if (authority === undefined) return relative || /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*\//i.test(prefix) ? 'path' : 'host';
  if (/:\d*$/.test(authority) && !/\[[^\]]*$/.test(authority)) return 'port';
  // After a whole host name (`https://api.example.com{{x}}`) only a path can follow; inside one, more labels.
  return /[.-]$/.test(authority) || authority === '' ? 'host' : 'path';
}

function refuse(field: string, name: string, what: string): PlugboardError {
  return new PlugboardError('INVALID_CONFIG', `Variable "${name}" in ${field} ${what}.`, {
    hint: `A variable fills one part of the URL; change its value (variables.${name}) so it fits that part.`,
  });
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** A value for the start of the template: an http(s) URL (or a path, where a relative one is allowed). */
function originValue(value: string, rest: string, field: string, name: string, relative: boolean): string {
  if (value === '') return value; // an optional URL left blank: the field is dropped, or validation names it
  const isPath = relative && value.startsWith('/');
  if (isPath && /^[/\\]{2}/.test(value)) throw refuse(field, name, 'must be a path on the base URL\'s host, not "//host"');
  if (!isPath && !isHttpUrl(value)) throw refuse(field, name, relative ? 'must be a path starting with "/" or an http(s) URL without a user name or password' : 'must be an http(s) URL without a user name or password');
  if (rest && /[?#]/.test(value)) throw refuse(field, name, 'must not carry a query or fragment: the definition continues the URL after it');
  return value;
}

/** One path segment, or (after a complete host, `https://api.example.com{{basePath}}`) a path of segments. */
function pathValue(value: string, field: string, name: string, whole: boolean): string {
  const segments = whole ? value.replace(/^\//, '').split('/') : [value];
  if (whole && value !== '' && !value.startsWith('/')) throw refuse(field, name, 'must be a path starting with "/" (it follows the host)');
  if (segments.some((s) => s === '.' || s === '..')) throw refuse(field, name, 'must not be "." or ".." (a path segment that climbs)');
  const encoded = segments.map((segment) => encodeComponent(segment, field, name)).join('/');
  return whole && value !== '' ? `/${encoded}` : encoded;
}

function encodeComponent(value: string, field: string, name: string): string {
  if (!isWellFormedText(value)) throw refuse(field, name, 'holds text that is not well-formed Unicode (a lone surrogate)');
  return encodeURIComponent(value);
}

function fillPart(part: Part, value: string, rest: string, field: string, name: string, relative: boolean, afterHost: boolean): string {
  switch (part) {
    case 'origin':
      return originValue(value, rest, field, name, relative);
    case 'host':
      if (value !== '' && !LABELS.test(value)) throw refuse(field, name, 'must be a host name label (letters, digits, "-", ".")');
      return value;
    case 'port':
      if (!/^\d{0,5}$/.test(value) || (value !== '' && Number(value) > 65535)) throw refuse(field, name, 'must be a port number');
      return value;
    case 'path':
      return pathValue(value, field, name, afterHost);
    case 'query':
    case 'fragment':
      return encodeComponent(value, field, name);
  }
}

/**
 * Fills a URL template. `path` is the field's path (for messages); `relative` allows a path (test.endpoint).
 * Names without a value are left as written. A template whose origin is fixed keeps exactly that origin.
 */
export function fillUrlTemplate(template: string, values: Readonly<Record<string, string>>, path: (string | number)[], relative: boolean): string {
  const field = formatPath(path);
  let out = '';
  let at = 0;
  for (const m of template.matchAll(VARIABLE_PATTERN)) {
    out += template.slice(at, m.index);
    at = m.index + m[0].length;
    const name = m[1]!;
    if (!Object.prototype.hasOwnProperty.call(values, name)) {
      out += m[0];
      continue;
    }
    const part = partAfter(out, relative);
    const afterHost = part === 'path' && /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*$/i.test(out);
    out += fillPart(part, values[name]!, template.slice(at), field, name, relative, afterHost);
  }
  out += template.slice(at);
  const fixed = fixedOrigin(template, relative);
  if (fixed && !out.includes('{{') && originOf(out) !== originOf(fixed)) throw refuse(field, 'values', 'changed the origin the definition sets');
  return out;
}

/** The origin a template spells out in full (no placeholder in scheme, host or port), if it does. */
function fixedOrigin(template: string, relative: boolean): string | undefined {
  const head = /^[a-z][a-z0-9+.-]*:\/\/[^/?#{]+/i.exec(template)?.[0];
  if (!head) return undefined;
  const next = template.charAt(head.length);
  return next === '' || '/?#'.includes(next) || partAfter(head, relative) === 'path' ? head : undefined;
}

function originOf(text: string): string | undefined {
  try {
    return new URL(text).origin;
  } catch {
    return undefined;
  }
}
