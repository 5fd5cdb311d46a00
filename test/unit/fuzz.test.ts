/**
 * Issue 13, "done when": a seeded, deterministic fuzz of 1,000+ malformed provider definitions and 1,000+
 * connection strings. A definition either gives a coded PlugboardError, or renders (rest-client, ts-types,
 * docs-markdown, webhook-verify) into code TypeScript parses, with exactly the statements and calls the same
 * structure has with plain words in every text field. A connection string either gives INVALID_CONFIG (one
 * line, no control character, no password) or options the backend accepts and that survive formatting and
 * parsing again. Nothing crashes. A failure names its seed; FUZZ_SEED=<n> runs that case alone.
 */
import * as assert from 'node:assert/strict';
import { buildEndpointModel, declaredEndpoints } from '../../src/backends/http/endpoints';
import { PgOptions } from '../../src/backends/postgres/options';
import { formatPostgresUrl, parsePgConnection } from '../../src/backends/postgres/url';
import { generate } from '../../src/core/codegen/generate';
import { ERROR_CODES, isPlugboardError, type PlugboardError } from '../../src/core/errors';
import { parseProviderDefinition, type ProviderDefinition } from '../../src/core/model';
import { codeShape, markdownShape } from '../support/codeShape';
import { connectionCase, definitionCase, fuzzText, rng } from '../support/fuzz';
import { codegenFor } from '../support/host';
import { plain } from '../support/hostileModel';

const DEFINITIONS = 1_200;
const CONNECTIONS = 1_500;
const BASE_SEED = 0x13c0de;
const only = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
// eslint-disable-next-line no-control-regex -- no raw control character may reach a message
const CONTROL = /[\u0000-\u001f\u007f]/;

function coded(err: unknown, what: string): PlugboardError {
  assert.ok(isPlugboardError(err), `${what}: not a PlugboardError: ${err instanceof Error ? err.stack : String(err)}`);
  assert.ok((ERROR_CODES as readonly string[]).includes(err.code), `${what}: unknown code ${err.code}`);
  assert.doesNotMatch(err.message, CONTROL, `${what}: a control character in the message`);
  return err;
}

function attempt<T>(fn: () => T): { value: T } | { error: unknown } {
  try {
    return { value: fn() };
  } catch (error) {
    return { error };
  }
}

async function render(def: ProviderDefinition): Promise<{ files?: { path: string; content: string }[]; error?: unknown }> {
  const targets = ['rest-client', 'ts-types', 'docs-markdown', ...(def.auth.webhook ? ['webhook-verify'] : [])];
  try {
    const model = buildEndpointModel(def, declaredEndpoints(def), {});
    const result = await generate(model, codegenFor('http', { profileName: def.name, targets }));
    return { files: result.files.filter((f) => f.path !== 'plugboard.schema.json') };
  } catch (error) {
    return { error };
  }
}

describe('fuzz: malformed definitions and connection strings (seeded)', function () {
  this.timeout(300_000);

  it(`${DEFINITIONS} provider definitions: a coded error, or code shaped like its plain twin`, async () => {
    const tally = { refused: 0, rendered: 0, files: 0 };
    for (let i = 0; i < DEFINITIONS; i++) {
      const seed = BASE_SEED + i;
      if (only !== undefined && seed !== only) continue;
      const build = definitionCase(seed);
      const what = `definition seed ${seed}`;
      const fuzzed = attempt(() => parseProviderDefinition(build(fuzzText(rng(seed * 7 + 1))), `fuzz-${seed}`));
      if ('error' in fuzzed) {
        coded(fuzzed.error, what);
        tally.refused++;
        continue;
      }
      const twin = attempt(() => parseProviderDefinition(build(plain), `plain-${seed}`));
      assert.ok('value' in twin, `${what}: accepted with fuzzed text but refused with plain words`);
      const [evil, good] = await Promise.all([render(fuzzed.value), render(twin.value)]);
      if (evil.error !== undefined) {
        coded(evil.error, `${what} (render)`);
        tally.refused++;
        continue;
      }
      assert.ok(good.files, `${what}: the plain twin did not render: ${String(good.error)}`);
      assert.equal(evil.files!.length, good.files.length, `${what}: another set of files`);
      good.files.forEach((file, n) => {
        const other = evil.files![n]!;
        if (file.path.endsWith('.md')) {
          assert.deepEqual(markdownShape(other.content), markdownShape(file.content), `${what}: ${file.path} changed shape`);
          return;
        }
        const want = codeShape(file.content);
        const got = codeShape(other.content);
        assert.deepEqual(want.errors, [], `${what}: the plain ${file.path} does not parse`);
        assert.deepEqual(got.errors, [], `${what}: ${other.path} does not parse`);
        assert.equal(got.statements, want.statements, `${what}: statements were added to ${other.path}`);
        assert.equal(got.calls, want.calls, `${what}: calls were added to ${other.path}`);
      });
      tally.rendered++;
      tally.files += good.files.length;
    }
    if (only === undefined) {
      assert.equal(tally.refused + tally.rendered, DEFINITIONS);
      // Both halves must be exercised: refusals and renders of hostile text that validation let through.
      assert.ok(tally.rendered >= 150, `only ${tally.rendered} definitions rendered (${tally.refused} refused)`);
      assert.ok(tally.refused >= 150, `only ${tally.refused} definitions refused`);
    }
  });

  it(`${CONNECTIONS} connection strings: INVALID_CONFIG without the password, or options that round-trip`, () => {
    const password = 'Fz:p@ss/w0rd canary';
    const forms = [password, encodeURIComponent(password), 'p@ss/w0rd'];
    const tally = { refused: 0, parsed: 0 };
    for (let i = 0; i < CONNECTIONS; i++) {
      const seed = BASE_SEED + i;
      if (only !== undefined && seed !== only) continue;
      const text = connectionCase(seed, password);
      const what = `connection seed ${seed}`;
      const parsed = attempt(() => parsePgConnection(text));
      if ('error' in parsed) {
        const err = coded(parsed.error, what);
        assert.equal(err.code, 'INVALID_CONFIG', `${what}: ${err.code}`);
        for (const f of forms) assert.ok(!`${err.message} ${err.hint}`.includes(f), `${what}: the password is in the error`);
        tally.refused++;
        continue;
      }
      const { options, secret } = parsed.value;
      assert.ok(PgOptions.safeParse(options).success, `${what}: parsed into options the backend refuses`);
      const formatted = formatPostgresUrl(options);
      for (const f of forms) assert.ok(!formatted.includes(f), `${what}: the password is in the formatted URL`);
      const again = parsePgConnection(formatted);
      assert.deepEqual(again.options, options, `${what}: options changed through format and parse (${formatted})`);
      assert.ok(secret.password === undefined || typeof secret.password === 'string');
      tally.parsed++;
    }
    if (only === undefined) {
      assert.ok(tally.parsed >= 100 && tally.refused >= 500, `parsed ${tally.parsed}, refused ${tally.refused}`);
    }
  });
});
