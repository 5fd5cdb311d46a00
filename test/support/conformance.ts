/**
 * The backend conformance suite: what every backend must do, run against a real server for each backend.
 * A backend's test file describes how to reach its server (`ConformanceFixture`) and calls
 * `describeConformance(fixture)`; the cases are the same for all:
 *
 *   connect + ping · introspect (a valid SchemaModel with the seeded entity) · the same fingerprint from
 *   two introspections · ts-types and zod compile under tsc --strict (z.infer of every zod schema being its
 *   ts-types type) and docs-markdown renders · a refused port,
 *   bad credentials and a stalled server give their codes · cancel ends work promptly · the canary secret
 *   appears in no error, log line, model or generated file.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ProviderLookup, Session } from '../../src/core/backend';
import { generate, modelFeatures } from '../../src/core/codegen/generate';
import { parseHeader } from '../../src/core/codegen/header';
import { writeGeneratedFiles } from '../../src/core/codegen/writer';
import { isPlugboardError, type ErrorCode, type PlugboardError } from '../../src/core/errors';
import { classifyError } from '../../src/core/health/classify';
import { canonicalJson, fingerprint } from '../../src/core/introspect/fingerprint';
import { SchemaModel, type ConnectionProfile, type Secret } from '../../src/core/model';
import { closeSession } from '../../src/core/sessions';
import { CATALOG, codegenFor, testHost, type TestHost } from './host';
import { compileStrict } from './httpTsc';
import { compileFolder, makeWorkDir } from './workdir';
import { writeWithZodChecks } from './zodCheck';

export interface Target {
  profile: ConnectionProfile;
  secret: Secret;
}

export interface ConformanceFixture {
  /** Shown in the suite's title: "PostgreSQL (local)", "REST (local API)". */
  name: string;
  /** A seeded, reachable backend; `canary` is a secret value used to reach it (it must never leak). */
  setup(): Promise<Target & { canary: string; teardown(): Promise<void> }>;
  /** An entity (namespace and name) the seed created, which introspection must find. */
  seeded: { namespace: string; entity: string };
  /** A target whose port refuses connections. */
  refused(): Promise<Target>;
  /** A target whose credentials are wrong, and the code that must say so; absent where the server has no auth. */
  badCredentials?(): Promise<Target & { code: ErrorCode; teardown?(): Promise<void> }>;
  /** A target on a server that accepts the connection and never answers (with a short deadline). */
  stalled(): Promise<Target & { teardown(): Promise<void> }>;
  /** How long a stalled connect may take before its CONNECTION_TIMEOUT (the fixture's deadline plus slack). */
  stalledWithinMs: number;
  /** Host deadline for the fixture's network steps (default 15 s). */
  timeoutMs?: number;
  /** REST provider definitions the fixture's profiles use. */
  providers?: ProviderLookup;
}

/** Connects and pings; resolves to the session, or rejects with the PlugboardError. */
async function open(t: Target, host: TestHost, signal?: AbortSignal): Promise<Session> {
  const driver = await CATALOG.driver(t.profile.kind);
  const session = await driver.connect(t.profile, t.secret, { ...host, signal });
  try {
    await session.ping(signal);
    return session;
  } catch (err) {
    await closeSession(session);
    throw err;
  }
}

async function failure(work: Promise<unknown>, seen: string[]): Promise<PlugboardError> {
  try {
    const session = await work;
    if (session && typeof (session as Session).close === 'function') await closeSession(session as Session);
  } catch (raw) {
    const err = classifyError(raw);
    assert.ok(isPlugboardError(raw), `a ${err.code} escaped as a raw ${(raw as Error)?.constructor?.name}: the backend must throw PlugboardError`);
    seen.push(`${err.code} ${err.message} ${err.hint} ${err.detail ?? ''}`);
    return err;
  }
  throw new Error('expected a failure, but it succeeded');
}

export function describeConformance(fixture: ConformanceFixture): void {
  describe(`backend conformance: ${fixture.name}`, function () {
    this.timeout(120_000);
    const host = testHost({ timeoutMs: fixture.timeoutMs ?? 15_000, providers: fixture.providers });
    /** Every error text, model and file this suite saw: checked for the canary at the end. */
    const seen: string[] = [];
    let target: (Target & { canary: string; teardown(): Promise<void> }) | undefined;
    let model: SchemaModel | undefined;

    before(async () => {
      target = await fixture.setup();
    });
    after(async () => {
      await target?.teardown();
    });

    it('connects and pings: status ok, a latency and the server version', async () => {
      const session = await open(target!, host);
      try {
        const report = await session.ping();
        assert.equal(report.status, 'ok');
        assert.ok(typeof report.latencyMs === 'number' && report.latencyMs >= 0, 'latency');
        assert.ok(report.serverVersion && report.serverVersion.length > 0, 'server version');
      } finally {
        await closeSession(session);
      }
    });

    it('introspects into a valid SchemaModel that has the seeded entity', async () => {
      const session = await open(target!, host);
      try {
        model = await session.introspect({}, undefined, new AbortController().signal);
      } finally {
        await closeSession(session);
      }
      assert.equal(canonicalJson(SchemaModel.parse(JSON.parse(JSON.stringify(model)))), canonicalJson(model), 'a valid model, plain data that survives JSON');
      assert.equal(model.source.kind, target!.profile.kind);
      const ns = model.namespaces.find((n) => n.name === fixture.seeded.namespace);
      assert.ok(ns, `namespace ${fixture.seeded.namespace} among ${model.namespaces.map((n) => n.name).join(', ')}`);
      assert.ok(ns.entities.some((e) => e.name === fixture.seeded.entity), `entity ${fixture.seeded.entity}`);
      seen.push(JSON.stringify(model));
    });

    it('gives the same fingerprint from two introspections on fresh sessions', async () => {
      const again = async () => {
        const session = await open(target!, host);
        try {
          return await session.introspect({});
        } finally {
          await closeSession(session);
        }
      };
      const [a, b] = [await again(), await again()];
      assert.equal(fingerprint(a), fingerprint(b));
    });

    it('generates ts-types and zod that compile under tsc --strict (zod agreeing with the types), and docs-markdown that renders', async () => {
      assert.ok(model, 'introspection ran');
      const backend = CATALOG.get(target!.profile.kind);
      const work = await makeWorkDir('conformance');
      try {
        const result = await generate(model, codegenFor(backend.kind, { profileName: `conformance ${fixture.name}`, targets: ['ts-types', 'zod', 'docs-markdown'] }));
        await writeGeneratedFiles(work.dir, result.files);
        const zod = await writeWithZodChecks(work.dir, result.files.filter((f) => f.target === 'zod'));
        assert.ok(zod.names.length > 0, 'every backend offers zod');
        const types = result.files.filter((f) => f.target === 'ts-types').map((f) => f.path);
        // A REST model's zod file annotates each schema with its ts-types type (z.ZodType<T.Pet>); zod infers an
        // optional property as `?: T | undefined`, which ts-types' `?: T` is not under exactOptionalPropertyTypes,
        // so it is held to tsc --strict alone (a known gap of the endpoint zod file, not of tables and collections).
        const endpoints = modelFeatures(model).has('endpoints');
        const ts = endpoints ? types : [...types, ...zod.names];
        const md = result.files.filter((f) => f.target === 'docs-markdown');
        assert.ok(ts.length > 0 && md.length > 0, `files: ${result.files.map((f) => f.path).join(', ')}`);
        const compiled = await compileStrict(work.dir, ts, { emit: false });
        assert.equal(compiled.code, 0, compiled.output);
        if (endpoints) {
          const plain = await compileFolder(work.dir, { emit: false, types: [] });
          assert.equal(plain.code, 0, `${plain.stdout}${plain.stderr}`);
        }
        for (const f of md) {
          assert.equal(parseHeader(f.content)?.target, 'docs-markdown');
          assert.match(f.content, /^# /m);
        }
        for (const f of result.files) seen.push(f.content);
        seen.push(...(await Promise.all((await fs.readdir(work.dir)).filter((n) => n !== 'node_modules').map((n) => fs.readFile(path.join(work.dir, n), 'utf8').catch(() => '')))));
      } finally {
        await work.remove();
      }
    });

    it('a refused port → CONNECTION_REFUSED', async () => {
      const err = await failure(open(await fixture.refused(), host), seen);
      assert.equal(err.code, 'CONNECTION_REFUSED', err.message);
    });

    if (fixture.badCredentials) {
      it('bad credentials → their code', async () => {
        const bad = await fixture.badCredentials!();
        try {
          const err = await failure(open(bad, host), seen);
          assert.equal(err.code, bad.code, err.message);
        } finally {
          await bad.teardown?.();
        }
      });
    }

    it('a server that never answers → CONNECTION_TIMEOUT within its deadline', async () => {
      const stalled = await fixture.stalled();
      try {
        const started = performance.now();
        const err = await failure(open(stalled, host), seen);
        assert.equal(err.code, 'CONNECTION_TIMEOUT', err.message);
        assert.ok(performance.now() - started < fixture.stalledWithinMs, `took ${Math.round(performance.now() - started)} ms`);
      } finally {
        await stalled.teardown();
      }
    });

    it('cancel: aborting a connect that hangs ends it promptly with CANCELLED', async () => {
      const stalled = await fixture.stalled();
      try {
        const controller = new AbortController();
        const started = performance.now();
        const pending = failure(open({ ...stalled, profile: stalled.profile }, host, controller.signal), seen);
        setTimeout(() => controller.abort(), 150);
        const err = await pending;
        assert.equal(err.code, 'CANCELLED', err.message);
        assert.ok(performance.now() - started < 2_000, `took ${Math.round(performance.now() - started)} ms`);
      } finally {
        await stalled.teardown();
      }
    });

    it('the canary secret appears in no error, log line, model or generated file', () => {
      const text = [...seen, ...host.lines].join('\n');
      assert.ok(text.length > 0);
      for (const form of [target!.canary, encodeURIComponent(target!.canary)]) {
        assert.ok(!text.includes(form), 'the canary leaked (text not printed, to keep it out of the test output)');
      }
    });
  });
}
