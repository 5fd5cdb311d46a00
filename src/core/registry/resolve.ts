import { PlugboardError } from '../errors';
import { fillVariables, parseProviderDefinition, URL_FIELDS, type ProviderDefinition } from '../model';
import { fillUrlTemplate } from './fillUrl';

/**
 * Filling a definition's `{{variables}}`: at connect time from the profile (`profile.variables`), or once and
 * for all when a template is instantiated into a definition of its own. The filled definition is validated
 * again, so a value that makes a bad URL or header name is reported against its field.
 */
export function variableValues(def: ProviderDefinition, given: Readonly<Record<string, string>> = {}, opts: { partial?: boolean } = {}): Record<string, string> {
  const values: Record<string, string> = {};
  for (const v of def.variables) {
    const isGiven = Object.prototype.hasOwnProperty.call(given, v.name);
    // Partial (instantiating a template): only what was given is fixed; the rest stays a variable, default and all.
    if (opts.partial && !isGiven) continue;
    const value = isGiven ? given[v.name]!.trim() : v.default;
    if (value !== undefined && (value !== '' || !v.required)) values[v.name] = value;
    else if (!opts.partial && v.required) {
      throw new PlugboardError('INVALID_CONFIG', `Provider ${def.id}: variable "${v.name}" (${v.label}) has no value.`, {
        hint: `Set variables.${v.name} in the connection (Plugboard: Edit Connection).`,
      });
    } else if (!opts.partial) values[v.name] = '';
  }
  return values;
}

/** The definition with every variable filled in; throws INVALID_CONFIG naming the variable or the field. */
export function resolveDefinition(def: ProviderDefinition, given: Readonly<Record<string, string>> = {}, location = `provider ${def.id}`): ProviderDefinition {
  const values = variableValues(def, given);
  const filled = fillTree(def, values) as Record<string, unknown>;
  filled.variables = [];
  return parseProviderDefinition(filled, `${location} (with its variables filled in)`);
}

export interface InstantiateOptions {
  id: string;
  name: string;
  category?: string;
  description?: string;
  version?: string;
  /** Values for the template's variables; the ones left out stay variables of the new definition. */
  values: Readonly<Record<string, string>>;
}

/** A concrete definition made from a template, ready to save in `.plugboard/providers/` and share. */
export function instantiateTemplate(template: ProviderDefinition, opts: InstantiateOptions): ProviderDefinition {
  const values = variableValues(template, opts.values, { partial: true });
  const filled = fillTree(template, values) as Record<string, unknown>;
  filled.variables = template.variables.filter((v) => !(v.name in values));
  Object.assign(filled, {
    id: opts.id,
    name: opts.name,
    category: opts.category ?? template.category,
    version: opts.version ?? '1.0.0',
    description: opts.description ?? template.description,
  });
  return parseProviderDefinition(filled, `provider ${opts.id} (from template ${template.id})`);
}

/**
 * Fills strings outside JSON Schemas. URLs are filled part by part (fillUrlTemplate), so a value stays the URL
 * part it stands in. Optional fields that end up empty are dropped (an optional variable left blank means "not
 * used"), and scope lists are split on spaces so `{{scopes}}` may hold several.
 */
function fillTree(node: unknown, values: Record<string, string>, path: (string | number)[] = []): unknown {
  const key = path[path.length - 1];
  if (typeof node === 'string') {
    if (isUrlField(path, node)) return fillUrlTemplate(node, values, path, key === 'endpoint');
    return fillVariables(node, values);
  }
  if (Array.isArray(node)) {
    const items = node.map((v, i) => fillTree(v, values, [...path, i]));
    if (key !== 'scopes') return items;
    return items.flatMap((s) => (typeof s === 'string' ? s.split(/\s+/).filter(Boolean) : [s]));
  }
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k === 'requestSchema' || k === 'responseSchema' || k === 'schema' || k === 'variables') {
      out[k] = v;
      continue;
    }
    const filled = fillTree(v, values, [...path, k]);
    // Required fields left empty stay, so validation names them; optional ones disappear.
    if (filled === '' && typeof v === 'string' && v.includes('{{') && OPTIONAL_WHEN_EMPTY.has(k)) continue;
    out[k] = filled;
  }
  return out;
}

const OPTIONAL_WHEN_EMPTY = new Set(['issuer', 'authUrl', 'revocationUrl', 'audience', 'clientId', 'prefix', 'keyPrefix', 'timestampHeader', 'eventHeader', 'docsUrl', 'description']);

/** The definition's URL fields; `openapi` only when it is a URL (it may also be a path to a local file). */
function isUrlField(path: (string | number)[], text: string): boolean {
  const key = path[path.length - 1];
  if (key === 'endpoint') return path.length === 2 && path[0] === 'test';
  if (key === 'openapi') return /^https?:/i.test(text);
  return typeof key === 'string' && URL_FIELDS.has(key) && path.length <= 3;
}
