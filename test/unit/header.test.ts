import * as assert from 'node:assert/strict';
import * as vm from 'node:vm';
import { headerComment, headerStatus, parseHeader, snapshotHeaderLine, type GeneratedHeader } from '../../src/core/codegen/header';

const header: GeneratedHeader = { tool: 'plugboard', version: '0.1.0', profile: 'prod', target: 'ts-types', fingerprint: 'sha256:0123456789abcdef0123456789abcdef' };

describe('generated file header', () => {
  it('round-trips: format then parse gives the same header', () => {
    assert.deepEqual(parseHeader(`${headerComment(header)}\nexport {};\n`), header);
  });

  it('survives awkward profile names and stays a comment', () => {
    for (const profile of ['it\'s "prod"', 'line\nbreak', 'sep\u2028arator', '*/ not the end', '日本 😀']) {
      const text = headerComment({ ...header, profile });
      assert.deepEqual(parseHeader(`${text}\nexport const x = 1;\n`), { ...header, profile });
      assert.equal(text.split('\n').length, 3, 'three comment lines');
      assert.doesNotThrow(() => new vm.Script(`${text}\nconst x = 1;`), 'still valid JavaScript');
    }
  });

  it('is read from the JSON snapshot key too', () => {
    const snapshot = JSON.stringify({ $plugboard: { ...header, target: 'snapshot' }, model: {} }, null, 2);
    assert.deepEqual(parseHeader(snapshot), { ...header, target: 'snapshot' });
  });

  it('is not found in other files or broken headers', () => {
    assert.equal(parseHeader('export const x = 1;\n'), undefined);
    assert.equal(parseHeader('// @plugboard {not json}\n'), undefined);
    assert.equal(parseHeader('// @plugboard {"tool":"other","version":"1","profile":"p","target":"t","fingerprint":"f"}\n'), undefined);
    assert.equal(parseHeader('// @plugboard {"tool":"plugboard","version":"1","profile":"p","target":"t"}\n'), undefined, 'fingerprint missing');
    assert.equal(parseHeader('{"$plugboard": '), undefined);
    assert.equal(parseHeader(`${'x'.repeat(5000)}\n${headerComment(header)}`), undefined, 'only the start of a file counts');
  });

  it('is recognised only in its exact form at the very top: a header line copied into a file further down is not', () => {
    const copied = [...Array.from({ length: 32 }, (_, i) => `// hand-written line ${i}`), headerComment(header), 'export const mine = 1;'].join('\n');
    assert.equal(parseHeader(copied), undefined);
    assert.equal(parseHeader(`// @plugboard ${JSON.stringify(header)}\n`), undefined, 'the marker line alone is not a header');
    assert.equal(parseHeader(`\n${headerComment(header)}`), undefined, 'not after a blank line either');
  });

  it('a table comment containing "@plugboard " cannot hide or fake the snapshot header', () => {
    const model = { comment: 'see @plugboard {"tool":"plugboard","version":"9","profile":"evil","target":"x","fingerprint":"f"} docs' };
    const snapshot = `${snapshotHeaderLine({ ...header, target: 'snapshot' })}\n"model":${JSON.stringify(model)}}\n`;
    assert.deepEqual(parseHeader(snapshot), { ...header, target: 'snapshot' });
    assert.deepEqual(JSON.parse(snapshot).$plugboard, { ...header, target: 'snapshot' }, 'the snapshot is plain JSON');
    assert.equal(parseHeader(JSON.stringify(model)), undefined);
  });

  it('has a Markdown form: two HTML comments that no profile name can close early', () => {
    for (const profile of ['prod', 'a --> b', '<script>x</script>', 'line\nbreak', '-->\u2028']) {
      const text = headerComment({ ...header, profile }, 'markdown');
      assert.equal(text.split('\n').length, 2);
      for (const line of text.split('\n')) assert.equal(line.indexOf('-->'), line.length - 3, `one comment per line: ${line}`);
      assert.doesNotMatch(text, /<script/);
      assert.deepEqual(parseHeader(`${text}\n\n# Title\n`), { ...header, profile });
    }
  });

  it('carries no timestamp: the same inputs give the same text', () => {
    assert.equal(headerComment(header), headerComment({ ...header }));
    assert.doesNotMatch(headerComment(header), /\d{4}-\d{2}-\d{2}/);
  });
});

describe('generated file header: generation inputs', () => {
  const withInputs: GeneratedHeader = { ...header, version: '0.3.0', inputs: 'sha256:fedcba9876543210fedcba9876543210' };

  it('round-trips in every style, and a header without it has none', () => {
    assert.deepEqual(parseHeader(`${headerComment(withInputs)}\nexport {};\n`), withInputs);
    assert.deepEqual(parseHeader(`${headerComment(withInputs, 'markdown')}\n# x\n`), withInputs);
    assert.deepEqual(parseHeader(`${snapshotHeaderLine(withInputs)}\n"model":{}}\n`), withInputs);
    assert.equal('inputs' in parseHeader(headerComment(header))!, false);
  });

  it('an older reader (fields it knows only) still reads a new header; a bad inputs value is no header', () => {
    const line = headerComment(withInputs).split('\n')[2]!;
    const known = JSON.parse(line.slice('// @plugboard '.length)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(known), ['tool', 'version', 'profile', 'target', 'fingerprint', 'inputs'], 'inputs comes last, after what 0.1 and 0.2 read');
    assert.equal(parseHeader(headerComment(header).replace('}', ',"inputs":7}')), undefined);
  });

  it('headerStatus: drift first, then changed settings', () => {
    const fp = header.fingerprint;
    assert.equal(headerStatus(withInputs, fp, withInputs.inputs), 'current');
    assert.equal(headerStatus(withInputs, fp, undefined), 'settings-changed');
    assert.equal(headerStatus(header, fp, 'sha256:new'), 'settings-changed', 'overrides added since');
    assert.equal(headerStatus(withInputs, 'sha256:other', 'sha256:new'), 'schema-changed');
    assert.equal(headerStatus(header, fp, undefined), 'current', 'a 0.1 or 0.2 header: generated without overrides');
  });
});
