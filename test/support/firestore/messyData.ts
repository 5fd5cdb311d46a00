/**
 * A small, deliberately untidy data set of the kind schema inference meets: optional fields, a number that is
 * an int in one document and a double in another, nested maps, arrays of maps, references, geo points,
 * timestamps, bytes, nulls, two levels of subcollections, a "missing" document (no data, but a
 * subcollection: users/dave) and a collection emptied again (scratch). Written through firebase-admin, so
 * every value is encoded exactly as a real client would.
 */
import { GeoPoint, Timestamp, type Firestore } from 'firebase-admin/firestore';

export const MESSY_CREATED_AT = new Timestamp(1_700_000_000, 123_456_000);
export const MESSY_LAST_LOGIN = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
export const MESSY_AVATAR = Buffer.from([0, 1, 2, 255]);

export async function seedMessyData(db: Firestore): Promise<void> {
  const batch = db.batch();
  batch.set(db.doc('users/alice'), {
    name: 'Alice',
    age: 31,
    score: 4.5,
    active: true,
    nickname: null,
    tags: ['admin', 'beta'],
    address: { city: 'Lyon', zip: '69001', location: new GeoPoint(45.76, 4.84) },
    prefs: [
      { key: 'theme', value: 'dark' },
      { key: 'lang', value: 'fr', since: MESSY_CREATED_AT },
    ],
    manager: db.doc('users/bob'),
    createdAt: MESSY_CREATED_AT,
    lastLogin: MESSY_LAST_LOGIN,
    avatar: MESSY_AVATAR,
  });
  batch.set(db.doc('users/bob'), { name: 'Bob', age: 45, score: 3, tags: [], address: { city: 'Paris' }, manager: null });
  batch.set(db.doc('users/carol'), { name: 'Carol' });
  batch.set(db.doc('users/alice/orders/o1'), { total: 12.5, placedAt: MESSY_CREATED_AT, status: 'shipped' });
  batch.set(db.doc('users/alice/orders/o1/items/i1'), { sku: 'SKU-1', qty: 1, price: 10 });
  batch.set(db.doc('users/alice/orders/o1/items/i2'), { sku: 'SKU-2', qty: 3, price: 0.83, note: 'gift' });
  batch.set(db.doc('users/alice/orders/o2'), { total: 3, status: 'open' });
  batch.set(db.doc('users/dave/orders/o9'), { total: 99.99, status: 'lost' });
  batch.set(db.doc('products/p1'), { title: 'Lamp', price: 20, dimensions: { w: 10, h: 30.5 } });
  batch.set(db.doc('scratch/tmp'), { temporary: true });
  await batch.commit();
  await db.doc('scratch/tmp').delete();
}
