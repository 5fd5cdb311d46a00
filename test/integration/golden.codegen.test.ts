/**
 * Byte identity of generated code for the benchmark schemas S, M and L (bench/schemaGen.ts: deterministic,
 * seeded). The sha256 of every generated file (ts-types + pg-crud) and both fingerprints (this version's and
 * 0.1.0's) were recorded by the code as it was before the speed work of issue 14, in
 * test/fixtures/golden-codegen.json; any change to rendering, the model or hashing that alters one byte of a
 * generated file fails here, with the file named.
 *
 * The tool version in the header is replaced by `<version>` before hashing, so a release bump is not a
 * failure. The snapshot (plugboard.schema.json) is not code and is checked by what it is for: it must give
 * back a model with no differences from the live one.
 *
 * PLUGBOARD_GOLDEN_RECORD=1 rewrites the fixture (only ever with code whose output is known to be right).
 * PLUGBOARD_GOLDEN_SIZES=S,M limits the sizes (default S,M,L).
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { schemaSql, SIZES, type SizeSpec } from '../../bench/schemaGen';
import { generate, SNAPSHOT_FILE } from '../../src/core/codegen/generate';
import { diffModels } from '../../src/core/introspect/diff';
import { snapshotModel } from '../../src/core/introspect/drift';
import { fingerprint, legacyFingerprint } from '../../src/core/introspect/fingerprint';
import { PLUGBOARD_VERSION } from '../../src/core/version';
import { codegenFor } from '../support/host';
import { createScratchDatabase, type ScratchDatabase } from '../support/postgres';
import { introspectOnce } from '../support/sessions';
import { REPO } from '../support/workdir';

const FIXTURE = path.join(REPO, 'test', 'fixtures', 'golden-codegen.json');

interface Golden {
  fingerprint: string;
  legacyFingerprint: string;
  files: Record<string, string>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The header's tool version is the one thing allowed to differ between releases. */
function versionless(content: string): string {
  const end = content.indexOf('\n', content.indexOf('\n', content.indexOf('\n') + 1) + 1);
  const head = content.slice(0, end < 0 ? content.length : end);
  return head.split(PLUGBOARD_VERSION).join('<version>') + content.slice(head.length);
}

describe('generated code is byte-identical for the benchmark schemas (golden hashes)', function () {
  this.timeout(600_000);
  const wanted = (process.env.PLUGBOARD_GOLDEN_SIZES ?? 'S,M,L').toUpperCase().split(/[\s,]+/);
  const recording = process.env.PLUGBOARD_GOLDEN_RECORD === '1';
  const recorded: Record<string, Golden> = {};
  let expected: Record<string, Golden> = {};

  before(async () => {
    if (!recording) expected = JSON.parse(await fs.readFile(FIXTURE, 'utf8')) as Record<string, Golden>;
  });

  after(async () => {
    if (!recording) return;
    const merged = { ...JSON.parse(await fs.readFile(FIXTURE, 'utf8').catch(() => '{}')), ...recorded } as Record<string, Golden>;
    await fs.writeFile(FIXTURE, `${JSON.stringify(merged, null, 1)}\n`);
  });

  for (const spec of SIZES.filter((s: SizeSpec) => wanted.includes(s.label))) {
    it(`${spec.label}: ${spec.tables.toLocaleString('en-US')} tables, ts-types + pg-crud`, async () => {
      let db: ScratchDatabase | undefined;
      try {
        db = await createScratchDatabase(`golden_${spec.label.toLowerCase()}`);
        await db.exec(schemaSql(spec));
        const { model, queries } = await introspectOnce(db.profile, db.secret, {});
        // Recorded before output could be split (issue 15): compare the whole files, which splitThreshold 0 keeps.
        const options = codegenFor('postgres', { profileName: 'golden', targets: ['ts-types', 'pg-crud'], splitThreshold: 0 });
        const out = await generate(model, options);

        // A model only for generating code (the CLI's generate) skips the indexes query: the same model less its
        // indexes, and the same bytes in every file, snapshot included.
        const lean = await introspectOnce(db.profile, db.secret, { forGeneration: true });
        assert.equal(lean.queries, queries - 1, 'one catalog query fewer');
        assert.ok(model.namespaces.some((ns) => ns.entities.some((e) => e.indexes.some((i) => i.predicate))), 'the schema has partial indexes');
        assert.deepEqual(lean.model, { ...model, namespaces: model.namespaces.map((ns) => ({ ...ns, entities: ns.entities.map((e) => ({ ...e, indexes: [] })) })) });
        assert.deepEqual((await generate(lean.model, options)).files, out.files);
        const files: Record<string, string> = {};
        for (const f of out.files) if (f.target !== 'snapshot') files[f.path] = sha256(versionless(f.content));
        const got: Golden = { fingerprint: fingerprint(model), legacyFingerprint: legacyFingerprint(model), files };
        assert.equal(out.fingerprint, got.fingerprint);

        // The snapshot gives back the schema it was written from.
        const snapshot = out.files.find((f) => f.path === SNAPSHOT_FILE);
        const before = snapshot && snapshotModel(snapshot.content);
        assert.ok(before, 'the snapshot is readable');
        assert.deepEqual(diffModels(before, model), []);

        if (recording) {
          recorded[spec.label] = got;
          return;
        }
        const want = expected[spec.label];
        assert.ok(want, `${spec.label} is in ${path.relative(REPO, FIXTURE)} (record it with PLUGBOARD_GOLDEN_RECORD=1 from unchanged code)`);
        assert.equal(got.fingerprint, want.fingerprint, 'fingerprint');
        assert.equal(got.legacyFingerprint, want.legacyFingerprint, '0.1.0 fingerprint');
        assert.deepEqual(Object.keys(got.files).sort(), Object.keys(want.files).sort(), 'the same files');
        const differing = Object.keys(want.files).filter((p) => got.files[p] !== want.files[p]);
        assert.deepEqual(differing, [], 'files whose bytes changed');
      } finally {
        await db?.drop();
      }
    });
  }
});
