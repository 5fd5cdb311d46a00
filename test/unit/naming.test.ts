import * as assert from 'node:assert/strict';
import * as vm from 'node:vm';
import { blockComment, camelCase, docText, fileStem, identifier, lineComment, NameAllocator, pascalCase, propertyKey, tsString } from '../../src/core/codegen/naming';

/** Evaluates a JS expression the way generated code would be evaluated. */
function evaluate(source: string): unknown {
  return vm.runInNewContext(`(${source})`);
}

describe('naming helpers', () => {
  it('pascalCase / camelCase split on separators and case boundaries', () => {
    assert.equal(pascalCase('order_items'), 'OrderItems');
    assert.equal(pascalCase('weird "table" name'), 'WeirdTableName');
    assert.equal(pascalCase('userID'), 'UserID');
    assert.equal(pascalCase('XMLHttp'), 'XMLHttp');
    assert.equal(camelCase('Order Items'), 'orderItems');
    assert.equal(camelCase('order-items'), 'orderItems');
  });

  it('keeps unicode letters and makes leading digits valid', () => {
    assert.equal(pascalCase('café'), 'Café');
    assert.equal(pascalCase('日本 テーブル'), '日本テーブル');
    assert.equal(pascalCase('2024 sales'), 'T2024Sales');
    assert.equal(pascalCase('"" ***'), 'Unnamed');
    assert.equal(camelCase('émoji 😀 table'), 'émojiTable');
  });

  it('camelCase steers clear of reserved words and JS magic names', () => {
    for (const word of ['class', 'delete', 'constructor', 'default', 'new', 'await', 'Date']) {
      const out = camelCase(word);
      assert.notEqual(out, word, `${word} must not be used as is`);
      assert.doesNotThrow(() => new vm.Script(`const ${out} = 1;`), `${out} is a valid binding`);
    }
    assert.equal(camelCase('select'), 'select');
  });

  it('tsString produces literals that evaluate back to the same string', () => {
    for (const s of ['plain', 'it\'s "quoted"', 'back\\slash', 'line\nbreak', 'sep\u2028ara\u2029tors', '</script>', '${template}', '😀 日本', '\u0000nul']) {
      const lit = tsString(s);
      assert.ok(!lit.includes('\u2028') && !lit.includes('\u2029') && !lit.includes('\n'), `${lit} has no raw line terminators`);
      assert.equal(evaluate(lit), s);
    }
  });

  it('propertyKey quotes what is not a plain identifier, and always __proto__', () => {
    assert.equal(propertyKey('name'), 'name');
    assert.equal(propertyKey('café'), 'café');
    assert.equal(propertyKey('日本'), '日本');
    assert.equal(propertyKey('constructor'), 'constructor');
    assert.equal(propertyKey('has space'), '"has space"');
    assert.equal(propertyKey('quote"d'), '"quote\\"d"');
    assert.equal(propertyKey('1st'), '"1st"');
    assert.equal(propertyKey('a-b'), '"a-b"');
    assert.equal(propertyKey('__proto__'), '"__proto__"');
    assert.equal(propertyKey('line\u2028sep'), '"line\\u2028sep"');
  });

  it('object literals built with propertyKey keep every key as an own property (but __proto__ needs a computed key)', () => {
    const keys = ['constructor', 'toString', 'has space', 'quote"d', 'café', 'line\u2028sep', 'valueOf'];
    const obj = evaluate(`{ ${keys.map((k, i) => `${propertyKey(k)}: ${i}`).join(', ')} }`) as Record<string, number>;
    assert.deepEqual(Object.keys(obj), keys);
    // `"__proto__": v` in a literal sets the prototype: generated code must never build rows that way.
    const proto = evaluate(`{ ${propertyKey('__proto__')}: 1 }`) as object;
    assert.equal(Object.keys(proto).length, 0);
    const computed = evaluate(`{ [${tsString('__proto__')}]: 1 }`) as object;
    assert.deepEqual(Object.keys(computed), ['__proto__']);
  });

  it('docText cannot close a JSDoc comment or break its line', () => {
    const text = docText('ends */ here\nand here */');
    assert.ok(!text.includes('*/'));
    assert.ok(!/[\r\n]/.test(text));
    assert.doesNotThrow(() => new vm.Script(`/** ${text} */ const x = 1;`));
  });

  const TERMINATORS = ['\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085'];
  const ATTACKS = [...TERMINATORS, '*/', '${', '`', '\u202e', '\u0000', '\u001b'];

  it('lineComment keeps the rest of a // line a comment, whatever the text holds', () => {
    for (const seq of ATTACKS) {
      const text = lineComment(`a${seq}globalThis.pwned = 1;`);
      assert.ok(![...TERMINATORS, '\u202e', '\u0000', '\u001b'].some((t) => text.includes(t)), `${JSON.stringify(seq)} survived: ${JSON.stringify(text)}`);
      const context = { pwned: 0 };
      vm.runInNewContext(`// ${text}\nvoid 0;`, context);
      assert.equal(context.pwned, 0, `${JSON.stringify(seq)} ran code`);
    }
  });

  it('blockComment cannot close a comment or break its line, and is idempotent', () => {
    for (const seq of ATTACKS) {
      const text = blockComment(`a${seq}*/ globalThis.pwned = 1; /*`);
      assert.ok(!text.includes('*/') && !/[\r\n\u2028\u2029\u0085]/.test(text), JSON.stringify(text));
      assert.equal(blockComment(text), text);
      const context = { pwned: 0 };
      vm.runInNewContext(`/** ${text} */ void 0;`, context);
      assert.equal(context.pwned, 0);
    }
  });

  it('tsString escapes every line terminator and invisible character, and ${ and ` stay inert', () => {
    for (const seq of [...ATTACKS, '\u2066', '\ufeff', '\u061c']) {
      const value = `a${seq}b`;
      const lit = tsString(value);
      // eslint-disable-next-line no-control-regex -- looking for raw control characters
      assert.doesNotMatch(lit, /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/, `${lit} holds a raw control`);
      assert.equal(evaluate(lit), value);
    }
  });

  it('identifier returns a valid name for any text, and valid names unchanged', () => {
    for (const name of ['Users', 'café', '_x', '$y', 'UsersRow_2']) assert.equal(identifier(name), name);
    for (const text of ['a b', '1st', 'class', '', 'x²', 'a\u2028b', 'a*/b', '${x}', 'é\u0301']) {
      const id = identifier(text);
      assert.doesNotThrow(() => new vm.Script(`let ${id} = 1;`), `${JSON.stringify(text)} → ${id}`);
    }
  });

  it('pascalCase gives identifiers for names with numbers that are not digits', () => {
    for (const name of ['x²', '½ price', 'table①', '²']) {
      const p = pascalCase(name);
      assert.doesNotThrow(() => new vm.Script(`let ${p} = 1;`), `${name} → ${p}`);
    }
  });

  it('NameAllocator keeps case-only and suffix collisions apart', () => {
    const names = new NameAllocator(['Json']);
    const suffixes = ['Row', 'Insert'];
    assert.equal(names.allocate(pascalCase('users'), suffixes), 'Users');
    assert.equal(names.allocate(pascalCase('Users'), suffixes), 'Users_2');
    assert.equal(names.allocate(pascalCase('USERS'), suffixes), 'USERS');
    assert.equal(names.allocate('Json'), 'Json_', 'reserved names are not handed out');
    assert.equal(names.allocate('UsersRow'), 'UsersRow_2', 'a plain name cannot shadow base + suffix');
    assert.equal(names.allocate('class'), 'class_', 'reserved words get a suffix');
    assert.equal(names.allocate(pascalCase('object')), 'Object_', 'generated code refers to the global Object');
  });

  it('NameAllocator hands out the names a search from base_2 upwards would, for a name wanted many times', () => {
    // The allocator resumes where its last search for the same base and suffixes ended; the reference below
    // searches from the start every time (what it did before). Both must agree on every name.
    const reference = (taken: Set<string>, wanted: string, suffixes: readonly string[]) => {
      let candidate = wanted;
      for (let n = 2; suffixes.some((s) => taken.has(candidate + s)); n++) candidate = `${wanted}_${n}`;
      for (const s of suffixes) taken.add(candidate + s);
      return candidate;
    };
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const bases = ['Users', 'Users_2', 'UsersRow', 'Orders', 'Users_3Row', 'RefUsersRow', 'Json2'];
    const suffixSets: readonly (readonly string[])[] = [[''], ['Row', 'Insert', 'Update'], ['Row'], ['', 'Row'], ['Args', 'Response']];
    const names = new NameAllocator(['Users_4', 'OrdersRow']);
    const taken = new Set(['Users_4', 'OrdersRow']);
    for (let i = 0; i < 3000; i++) {
      const wanted = bases[random(bases.length)]!;
      const suffixes = suffixSets[random(suffixSets.length)]!;
      assert.equal(names.allocate(wanted, suffixes), reference(taken, wanted, suffixes), `call ${i}: ${wanted} ${suffixes.join(',')}`);
    }
    assert.ok(taken.size > 3000);
  });

  it('fileStem makes ascii file names unique even when names differ only in case', () => {
    const taken = new Set<string>();
    assert.equal(fileStem('Public', taken), 'public');
    assert.equal(fileStem('public', taken), 'public-2');
    assert.equal(fileStem('Hostile "Schema" café', taken), 'hostile_schema_cafe');
    assert.equal(fileStem('日本', taken), 'schema');
    assert.equal(fileStem('../../etc', taken), 'etc');
  });
});
