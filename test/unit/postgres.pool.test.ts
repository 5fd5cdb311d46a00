import * as assert from 'node:assert/strict';
import { poolConfig, poolSize } from '../../src/backends/postgres/config';

describe('postgres pool size', () => {
  it('keeps one connection to the embedded demo (PGlite has one session)', () => {
    assert.equal(poolSize({ demo: true }, '127.0.0.1', 8), 1);
  });

  it('uses as many connections as cores (2 to 4) for a server on this machine', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '/var/run/postgresql']) {
      assert.equal(poolSize({}, host, 1), 2, host);
      assert.equal(poolSize({}, host, 2), 2, host);
      assert.equal(poolSize({}, host, 3), 3, host);
      assert.equal(poolSize({}, host, 16), 4, host);
    }
  });

  it('uses four for a remote server whatever this machine has', () => {
    assert.equal(poolSize({}, 'db.example.com', 1), 4);
    assert.equal(poolSize({}, '10.0.0.5', 2), 4);
  });

  it('puts it in the pool config', () => {
    assert.equal(poolConfig({ demo: true }, {}, { host: '127.0.0.1', port: 5432 }, false).max, 1);
    assert.equal(poolConfig({}, {}, { host: 'db.example.com', port: 5432 }, false).max, 4);
  });
});
