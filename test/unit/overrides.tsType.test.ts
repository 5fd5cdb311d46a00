/**
 * The `tsType` checker: what it accepts is one type expression that the real TypeScript parser reads as a
 * type, with nothing after it; what could end the type and start code (statements, comments, line breaks,
 * template literals) is refused with a message saying why.
 */
import * as assert from 'node:assert/strict';
import ts from 'typescript';
import { checkTsType, tsTypeProblem } from '../../src/core/codegen/overrides/tsTypeExpr';

/** Parses `type __T = <text>;` with TypeScript: one type alias, no syntax errors, nothing else. */
function typescriptReadsAsOneType(text: string): boolean {
  const source = ts.createSourceFile('t.ts', `type __T = ${text};`, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const diagnostics = (source as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return diagnostics.length === 0 && source.statements.length === 1 && ts.isTypeAliasDeclaration(source.statements[0]!);
}

const GOOD = [
  'OrderMeta',
  'string',
  'void',
  'ns.Inner.Type',
  'Record<string, number>',
  'Map<string, Array<Set<number>>>',
  "'a' | 'b' | \"c\"",
  '| A | B',
  'A & B',
  'string[]',
  'readonly string[]',
  'readonly [x: number, y?: string, ...rest: boolean[]]',
  '[number, string?]',
  '(A | B)[]',
  "Foo['bar']",
  'keyof Foo',
  'typeof defaults',
  '{ a: string; b?: number; readonly c: A[] }',
  '{ "quoted key": 1, 2: true }',
  '{ [key: string]: number }',
  '{}',
  '-1 | 0 | 1.5 | 0x1f | 10n',
  'null | undefined | true | false',
  'Ünïcödé',
];

const BAD: [string, RegExp][] = [
  ['', /empty|at least/],
  ['Foo; process.exit(1)', /after the type/],
  ['Foo\nconst x = 1', /one line/],
  ['Foo\u2028bar', /one line/],
  ['Foo /* hi */', /comments/],
  ['Foo // hi', /comments/],
  ['`tpl${string}`', /template/],
  ['import("fs").Stats', /import\(\) types/],
  ['(a: string) => void', /expected/],
  ['A extends B ? C : D', /after the type/],
  ['{ [K in keyof T]: T[K] }', /expected/],
  ['Foo<', /expected a type/],
  ['{ a: string', /expected/],
  ["'unterminated", /unterminated/],
  ['Foo }; export const x = {', /unexpected character "="/],
  ['Foo } export type X {', /after the type/],
  ['new Foo', /keyword "new"/],
  ['() Foo', /expected a type/],
  ['Foo = 1', /unexpected character/],
  ['Foo @bar', /unexpected character/],
  ['1abc', /malformed number/],
  ['a\\u0062', /unexpected character/],
  ['x'.repeat(501), /longer than/],
];

describe('overrides: tsType expressions', () => {
  for (const text of GOOD) {
    it(`accepts ${JSON.stringify(text)}, which TypeScript reads as one type`, () => {
      assert.equal(tsTypeProblem(text), undefined);
      assert.ok(typescriptReadsAsOneType(checkTsType(text)), 'TypeScript agrees');
    });
  }

  for (const [text, why] of BAD) {
    it(`refuses ${JSON.stringify(text.slice(0, 40))}`, () => {
      const problem = tsTypeProblem(text);
      assert.ok(problem, 'refused');
      assert.match(problem, why);
      assert.match(problem, /^is not a TypeScript type expression: it /);
    });
  }

  it('nothing it accepts lets TypeScript see a second statement (random splices of the good ones)', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pieces = [...GOOD, ';', '}', '{', ')', '(', '//', '=', 'export', 'const', ',', '>', '<', '[', ']'];
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pieces[Math.floor(random() * pieces.length)]).join(' ');
      if (tsTypeProblem(text) === undefined) assert.ok(typescriptReadsAsOneType(text), `accepted, but TypeScript does not read it as one type: ${text}`);
    }
  });

  it('trims, and is deep-nesting safe', () => {
    assert.equal(checkTsType('  Foo  '), 'Foo');
    assert.match(tsTypeProblem(`${'Array<'.repeat(60)}x${'>'.repeat(60)}`) ?? '', /nested too deeply/);
  });
});
