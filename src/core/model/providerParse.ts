import type * as Semver from 'semver';
import { lazyModule } from '../lazy';
// Loaded on first use (a provider definition validated or compared), not at activation.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const semver = lazyModule(() => require('semver') as typeof Semver);
import type { z } from 'zod';
import { PlugboardError } from '../errors';
import { redactor } from '../redact';
import { MAX_NESTING, tooDeep } from './depth';
import { ProviderDefinition } from './provider';
import { findSecretValues, formatPath, type RuleIssue } from './providerRules';

/**
 * Validates a definition read from `location` (a file path or "import"). Throws INVALID_CONFIG naming the first
 * offending field, with every finding in `detail`. Any value found under a secret-looking key is registered
 * with the redactor, so even a log of the raw file cannot show it.
 */
export function parseProviderDefinition(raw: unknown, location: string): ProviderDefinition {
  // Before anything walks it: every check below, and codegen after them, recurse through the document.
  const deep = tooDeep(raw);
  if (deep) {
    const field = formatPath(deep.slice(0, 4)) + (deep.length > 4 ? '…' : '');
    throw new PlugboardError('INVALID_CONFIG', `${location}: ${field} is nested more than ${MAX_NESTING} levels deep`, {
      hint: 'Flatten the schema (named schemas under $defs and $ref keep it shallow); nothing was stored.',
    });
  }
  const secretIssues = findSecretValues(raw, (v) => redactor.register(v));
  const issues: RuleIssue[] = [...secretIssues];
  let parsed: ProviderDefinition | undefined;
  if (!secretIssues.length) {
    const result = ProviderDefinition.safeParse(raw);
    if (result.success) parsed = result.data;
    else issues.push(...result.error.issues.map(fromZodIssue));
  }
  if (parsed) return parsed;
  // "auth.oauth2.tokenUrl is required": no colon after the path, so log redaction (which masks `apiKey: …`)
  // cannot eat the message itself.
  const lines = issues.map((i) => `${formatPath(i.path)} ${i.message}`).map((l) => redactor.redact(l));
  const more = lines.length > 1 ? ` (and ${lines.length - 1} more)` : '';
  throw new PlugboardError('INVALID_CONFIG', `${location}: ${lines[0] ?? 'invalid provider definition'}${more}`, {
    hint: 'Fix the field named in the message; nothing was stored.',
    detail: lines.join('\n'),
  });
}

function fromZodIssue(issue: z.core.$ZodIssue): RuleIssue {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') return { path: [...path, issue.keys[0] ?? '?'], message: `is not a known field${issue.keys.length > 1 ? ` (nor ${issue.keys.slice(1).join(', ')})` : ''}` };
  if (issue.code === 'invalid_type') {
    return { path, message: /received undefined/.test(issue.message) ? 'is required' : `must be ${article(issue.expected)}` };
  }
  if (issue.code === 'invalid_value') return { path, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` };
  if (issue.code === 'too_small' || issue.code === 'too_big') {
    const bound = issue.code === 'too_small' ? 'at least' : 'at most';
    const unit = issue.origin === 'string' ? ' characters long' : issue.origin === 'array' ? ' items' : '';
    return { path, message: issue.origin === 'string' && issue.code === 'too_small' && Number(issue.minimum) === 1 ? 'must not be empty' : `must be ${bound} ${String(issue.code === 'too_small' ? issue.minimum : issue.maximum)}${unit}` };
  }
  return { path, message: issue.message.charAt(0).toLowerCase() + issue.message.slice(1) };
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Parses JSON text first, so a syntax error also names the file (and the position). */
export function parseProviderJson(text: string, location: string): ProviderDefinition {
  return parseProviderDefinition(parseJsonText(text, location), location);
}

/** JSON.parse reporting only the position: V8's message quotes a slice of the text, which may hold a pasted key. */
export function parseJsonText(text: string, location: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const at = /position (\d+)/.exec((err as Error).message);
    let where = '';
    if (at) {
      const before = text.slice(0, Number(at[1])).split('\n');
      where = ` at line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
    }
    throw new PlugboardError('INVALID_CONFIG', `${location}: (root) is not valid JSON${where}`, { hint: 'Fix the JSON syntax; nothing was stored.' });
  }
}

/** Semver order of two definitions of one provider: < 0 when `next` is older than `current`. */
export function compareVersions(next: ProviderDefinition, current: ProviderDefinition): number {
  return semver.compare(next.version, current.version);
}

