import * as assert from 'node:assert/strict';
import * as vm from 'node:vm';
import { headerComment, parseHeader, type GeneratedHeader } from '../../src/core/codegen/header';

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

  it('carries no timestamp: the same inputs give the same text', () => {
    assert.equal(headerComment(header), headerComment({ ...header }));
    assert.doesNotMatch(headerComment(header), /\d{4}-\d{2}-\d{2}/);
  });
});
