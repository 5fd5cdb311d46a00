/**
 * Issue 13, item 1: text from a shared definition or a server must never become code. Every string of a
 * definition (and of a relational model) holds each hostile sequence in turn; every template renders it; the
 * output, parsed by TypeScript, has exactly the statements and calls of the same structure rendered with plain
 * words, and no syntax error. Markdown keeps its lines, headings, rows and items.
 */
import * as assert from 'node:assert/strict';
import { generate } from '../../src/core/codegen/generate';
import { parseHeader } from '../../src/core/codegen/header';
import type { SchemaModel } from '../../src/core/model';
import { codeShape, markdownShape } from '../support/codeShape';
import { codegenFor } from '../support/host';
import { AUTH_VARIANTS, hostileRelationalModel, hostileRestModel, hostileText, HOSTILE_SEQUENCES, plain, type Text } from '../support/hostileModel';

type Render = (t: Text) => Promise<{ path: string; content: string }[]>;

async function renderAll(kind: string, model: SchemaModel, profileName: string, targets: string[]) {
  const result = await generate(model, codegenFor(kind, { profileName, targets }));
  return result.files.filter((f) => f.path !== 'plugboard.schema.json');
}

/** Renders the plain and the hostile version and compares every file's shape. */
async function assertSameShape(render: Render, seq: string): Promise<number> {
  const base = await render(plain);
  const evil = await render(hostileText(seq));
  assert.equal(evil.length, base.length, `${JSON.stringify(seq)}: another set of files`);
  base.forEach((file, i) => {
    const other = evil[i]!;
    const what = `${file.path} with ${JSON.stringify(seq)} in every string`;
    assert.ok(parseHeader(other.content), `${what}: the header is no longer recognised`);
    if (file.path.endsWith('.md')) {
      assert.deepEqual(markdownShape(other.content), markdownShape(file.content), `${what}: the Markdown changed shape`);
      return;
    }
    const want = codeShape(file.content);
    assert.deepEqual(want.errors, [], `${file.path} (plain) does not parse`);
    const got = codeShape(other.content);
    assert.deepEqual(got.errors, [], `${what}: syntax errors`);
    assert.equal(got.statements, want.statements, `${what}: statements were added`);
    assert.equal(got.calls, want.calls, `${what}: calls were added`);
  });
  return base.length;
}

describe('hostile text in definitions and models never becomes code', function () {
  this.timeout(120_000);

  for (const variant of AUTH_VARIANTS) {
    it(`REST (${variant}): rest-client, ts-types, docs-markdown${variant === 'webhook' || variant.startsWith('api_key') ? ', webhook-verify' : ''}`, async () => {
      const targets = ['rest-client', 'ts-types', 'docs-markdown'];
      if (variant === 'webhook' || variant.startsWith('api_key')) targets.push('webhook-verify');
      let files = 0;
      for (const seq of HOSTILE_SEQUENCES) {
        files = await assertSameShape((t) => renderAll('http', hostileRestModel(t, variant), t('profile'), targets), seq);
      }
      assert.ok(files >= targets.length, 'every target rendered');
    });
  }

  it('relational (what a database returns): ts-types, pg-crud, docs-markdown', async () => {
    for (const seq of HOSTILE_SEQUENCES) {
      await assertSameShape((t) => renderAll('postgres', hostileRelationalModel(t), t('profile'), ['ts-types', 'pg-crud', 'docs-markdown']), seq);
    }
  });
});
