/**
 * The pure parts of the emulator's listing RPCs: id order as Firestore's clients compare ids, page tokens,
 * and field-path parsing for masks. The RPCs themselves are tested over the wire in
 * test/integration/firestore.emulator.test.ts.
 */
import * as assert from 'node:assert/strict';
import { applyMask, parseFieldPath } from '../support/firestore/fieldMask';
import { compareIds, pageOf } from '../support/firestore/paging';

describe('firestore emulator listing helpers', () => {
  it('orders ids numeric-first, then by UTF-8 bytes rather than UTF-16 code units', () => {
    const emoji = '\u{1F600}';
    const highBmp = '\uFFFD';
    assert.ok(emoji < highBmp, 'JavaScript puts the surrogate pair first');
    assert.deepEqual([emoji, highBmp, 'b', 'B', '__id10__', '__id9__', 'a'].sort(compareIds), ['__id9__', '__id10__', 'B', 'a', 'b', highBmp, emoji]);
  });

  it('pages by the last id returned, so a page after an insert starts in the right place', () => {
    const first = pageOf(['a', 'b', 'c'], compareIds, 2, '');
    assert.deepEqual(first.items, ['a', 'b']);
    const afterInsert = pageOf(['a', 'b', 'ba', 'c'], compareIds, 2, first.nextPageToken);
    assert.deepEqual([afterInsert.items, afterInsert.nextPageToken], [['ba', 'c'], '']);
    assert.throws(() => pageOf(['a'], compareIds, 0, ''), /page_size/);
    assert.throws(() => pageOf(['a'], compareIds, 1, 'garbage'), /page_token/);
  });

  it('parses field paths with backquoted segments and escapes', () => {
    assert.deepEqual(parseFieldPath('a.b_1'), ['a', 'b_1']);
    assert.deepEqual(parseFieldPath('`a.b`.`c\\`d`.`e\\\\f`'), ['a.b', 'c`d', 'e\\f']);
    for (const bad of ['', 'a.', '.a', '1a', 'a-b', '`a', '``', '`a`b']) assert.throws(() => parseFieldPath(bad), /field path/, bad);
  });

  it('masks nested fields, a shorter path winning over a longer one under it', () => {
    const fields = { a: { map_value: { fields: { x: { integer_value: 1 }, y: { integer_value: 2 } } } }, b: { string_value: 's' }, c: { null_value: 0 as const } };
    assert.deepEqual(applyMask(fields, ['a.x', 'c', 'missing.z']), { a: { map_value: { fields: { x: { integer_value: 1 } } } }, c: { null_value: 0 } });
    assert.deepEqual(applyMask(fields, ['a.x', 'a']), { a: fields.a });
    assert.deepEqual(applyMask(fields, ['b.inner']), {}, 'a path into a non-map selects nothing');
    assert.deepEqual(applyMask(fields, []), {});
  });
});
