/**
 * The zod target on a REST model: a schema per named JSON Schema (recursive ones included) and per
 * operation's arguments and response, each typed as its ts-types type. tsc --strict holds them together;
 * the schemas then parse what the API sends and refuse what it must not.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { generate } from '../../src/core/codegen/generate';
import { SchemaModel } from '../../src/core/model';
import { strictDiagnostics } from '../support/documentModel';
import { codegenFor } from '../support/host';
import { makeWorkDir } from '../support/workdir';
import { writeWithZodChecks } from '../support/zodCheck';

const DEFS = {
  Pet: {
    type: 'object',
    required: ['id', 'name', 'status'],
    properties: {
      id: { type: 'integer' },
      name: { type: 'string', description: 'The pet\'s name */ not a comment end' },
      status: { type: 'string', enum: ['available', 'sold'] },
      tags: { type: 'array', items: { $ref: '#/$defs/Tag' } },
      owner: { $ref: '#/$defs/Person', nullable: true },
      'x-odd key': { type: ['string', 'null'] },
      ['__proto__']: { type: 'number' },
    },
  },
  Tag: { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false },
  Person: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, friends: { type: 'array', items: { $ref: '#/$defs/Person' } } } },
  Point: { type: 'array', items: [{ type: 'number' }, { type: 'number' }] },
  Named: { allOf: [{ $ref: '#/$defs/Tag' }, { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } }] },
  Either: { oneOf: [{ type: 'string' }, { type: 'integer' }, { const: null }] },
  Labels: { type: 'object', properties: { main: { type: 'string' } }, additionalProperties: { type: 'string' } },
  Anything: { type: 'object', additionalProperties: true },
};

function endpoint(name: string, endpoint: Record<string, unknown>) {
  return { name, kind: 'endpoint', fields: [], endpoint };
}

function restModel(): SchemaModel {
  const withDefs = (s: object) => ({ ...s, $defs: DEFS });
  return SchemaModel.parse({
    version: 2,
    source: { kind: 'http', database: 'pets', provider: { id: 'pets', name: 'Pets', version: '1.0.0', baseUrl: 'https://pets.invalid', authType: 'none' } },
    namespaces: [
      {
        name: 'pet',
        entities: [
          endpoint('getPet', {
            method: 'GET', path: '/pet/{petId}', operationId: 'getPet', summary: 'Find a pet */ by id',
            parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'integer' } }, { name: 'x-trace', in: 'header', required: false, schema: { type: 'string' } }],
            responseSchema: withDefs({ $ref: '#/$defs/Pet' }),
          }),
          endpoint('addPet', { method: 'POST', path: '/pet', operationId: 'addPet', requestSchema: withDefs({ $ref: '#/$defs/Pet' }), responseSchema: withDefs({ $ref: '#/$defs/Named' }), parameters: [] }),
          endpoint('misc', {
            method: 'GET', path: '/misc', operationId: 'misc', parameters: [{ name: 'limit', in: 'query', required: false, schema: { type: 'integer' } }],
            responseSchema: withDefs({ type: 'object', properties: { p: { $ref: '#/$defs/Point' }, e: { $ref: '#/$defs/Either' }, l: { $ref: '#/$defs/Labels' }, a: { $ref: '#/$defs/Anything' } } }),
          }),
          endpoint('ping', { method: 'GET', path: '/ping', operationId: 'ping', parameters: [] }),
        ],
      },
    ],
  });
}

describe('zod target: REST models', function () {
  this.timeout(60_000);

  it('types every schema as its ts-types type, compiles strictly, and parses', async () => {
    const result = await generate(restModel(), codegenFor('http', { profileName: 'pets', targets: ['zod'] }));
    assert.deepEqual(result.targets, ['ts-types', 'zod']);
    const zod = result.files.find((f) => f.path === 'pets.zod.ts')!.content;
    assert.match(zod, /export const PetSchema: z\.ZodType<T\.Pet> = z\.object\(\{/);
    assert.match(zod, /friends: z\.array\(z\.lazy\(\(\) => PersonSchema\)\)\.optional\(\),/, 'a recursive schema through z.lazy');
    assert.match(zod, /\["__proto__"\]: z\.number\(\)\.optional\(\),/);
    const work = await makeWorkDir('zod-rest');
    try {
      const { names, checks } = await writeWithZodChecks(work.dir, result.files);
      assert.ok(checks >= 16, `${checks} schemas checked`);
      assert.deepEqual(strictDiagnostics(work.dir, names), []);
      for (const f of result.files.filter((x) => x.path.endsWith('.ts'))) {
        const js = ts.transpileModule(f.content, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
        await fs.writeFile(path.join(work.dir, f.path.replace(/\.ts$/, '.js')), js);
      }
      const Z = require(path.join(work.dir, 'pets.zod.js')) as Record<string, { safeParse(v: unknown): { success: boolean } }>;
      const pet = { id: 1, name: 'Rex', status: 'sold', tags: [{ name: 't' }], owner: { name: 'Ann', friends: [{ name: 'Bo' }] }, 'x-odd key': null };
      assert.ok(Z.PetSchema!.safeParse(pet).success);
      assert.equal(Z.PetSchema!.safeParse({ ...pet, status: 'lost' }).success, false);
      assert.equal(Z.PetSchema!.safeParse({ ...pet, owner: { friends: [] } }).success, false, 'nested required');
      assert.equal(Z.PetSchema!.safeParse({ ...pet, tags: [{ name: 't', extra: 1 }] }).success, false, 'additionalProperties: false');
      assert.ok(Z.GetPetArgsSchema!.safeParse({ path: { petId: 3 } }).success);
      assert.equal(Z.GetPetArgsSchema!.safeParse({ path: { petId: 'x' } }).success, false);
      assert.ok(Z.MiscResponseSchema!.safeParse({ p: [1, 2], e: null, l: { main: 'a', other: 'b' }, a: { x: [1] } }).success);
      assert.equal(Z.MiscResponseSchema!.safeParse({ l: { other: 3 } }).success, false);
      assert.ok(Z.AddPetResponseSchema!.safeParse({ id: 1, name: 'n' }).success);
      assert.ok(Z.PingArgsSchema!.safeParse({}).success);
    } finally {
      await work.remove();
    }
  });
});
