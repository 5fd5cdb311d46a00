/**
 * What introspecting test/fixtures/mysql-hostile.sql on MariaDB 10.11 must give, written compactly so that a
 * failure shows a readable line diff: a field is `name: type? [native type]` plus its facets, a relation
 * `cols -> database.table(cols) onDelete/onUpdate`, an index `cols METHOD unique primary {options}`. The two
 * databases' random names stand in as MAIN and OTHER.
 */
import * as assert from 'node:assert/strict';
import type { Entity, Field, SchemaModel } from '../../src/core/model';
import { sqlOf } from '../../src/core/model';

export function fieldLine(f: Field): string {
  const sql = sqlOf(f);
  const bits = [`${f.name}: ${f.type}${f.nullable ? '?' : ''} [${f.nativeType}]`];
  if (sql.default !== null) bits.push(`default=${sql.default}`);
  if (sql.generated) bits.push(`generated=${sql.generated}`);
  if (sql.autoIncrement) bits.push('auto_increment');
  if (f.values) bits.push(`values=${JSON.stringify(f.values)}`);
  if (f.items) bits.push(`items=${f.items.type}${JSON.stringify(f.items.values)}`);
  if (f.comment) bits.push(`comment=${JSON.stringify(f.comment)}`);
  return bits.join(' ');
}

export interface ExpectedEntity {
  kind: Entity['kind'];
  comment?: string;
  updatable?: boolean;
  fields: string[];
  pk?: string[];
  uniques?: Record<string, string[]>;
  relations?: Record<string, string>;
  indexes?: Record<string, string>;
  checks?: Record<string, string>;
}

function relationLine(r: Entity['relations'][number], names: Record<string, string>): string {
  const ns = Object.entries(names).find(([, real]) => real === r.target.namespace)?.[0] ?? r.target.namespace;
  return `${r.columns.join(',')} -> ${ns}.${r.target.entity}(${r.target.columns.join(',')}) ${r.onDelete}/${r.onUpdate}`;
}

function indexLine(i: Entity['indexes'][number]): string {
  return [i.columns.join(','), i.method, i.unique && 'unique', i.primary && 'primary', i.options && JSON.stringify(i.options)].filter(Boolean).join(' ');
}

/** Compares one namespace of a model with the expectation, entity by entity and field by field. */
export function assertNamespace(model: SchemaModel, real: string, expected: Record<string, ExpectedEntity>, names: Record<string, string>): void {
  const ns = model.namespaces.find((n) => n.name === real);
  assert.ok(ns, `namespace ${real} is in the model`);
  assert.deepEqual(ns.entities.map((e) => e.name), Object.keys(expected).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), 'entities, in name order');
  for (const e of ns.entities) {
    const x = expected[e.name]!;
    const where = `${real}.${e.name}`;
    assert.equal(e.kind, x.kind, `${where}: kind`);
    assert.equal(e.comment, x.comment, `${where}: comment`);
    assert.equal(e.sql?.updatable, x.updatable, `${where}: updatable`);
    assert.deepEqual(e.fields.map(fieldLine), x.fields, `${where}: fields`);
    assert.deepEqual(e.primaryKey?.columns, x.pk, `${where}: primary key`);
    assert.deepEqual(Object.fromEntries(e.uniques.map((u) => [u.name, u.columns])), x.uniques ?? {}, `${where}: unique keys`);
    assert.deepEqual(Object.fromEntries(e.relations.map((r) => [r.name, relationLine(r, names)])), x.relations ?? {}, `${where}: foreign keys`);
    assert.deepEqual(Object.fromEntries(e.indexes.map((i) => [i.name, indexLine(i)])), x.indexes ?? {}, `${where}: indexes`);
    assert.deepEqual(Object.fromEntries((e.sql?.checks ?? []).map((c) => [c.name, c.expression])), x.checks ?? {}, `${where}: checks`);
    if (e.kind !== 'view') assert.equal(typeof e.stats?.rows, 'number', `${where}: a row estimate`);
  }
}

/** The second database: the target of a foreign key from MAIN. */
export const EXPECTED_OTHER: Record<string, ExpectedEntity> = {
  "accounts": {
    kind: "table",
    comment: "In the second database",
    fields: ["id: integer [int(11)] auto_increment", "owner: string [varchar(50)]"],
    pk: ["id"],
    indexes: {
      "PRIMARY": "id BTREE unique primary"
    }
  },
};

// `__proto__` is a computed key: as a plain key it would set the object's prototype.
export const EXPECTED_MAIN: Record<string, ExpectedEntity> = {
  "Users": {
    kind: "table",
    fields: ["id: integer [int(11)] auto_increment", "Name: string? [varchar(50)]"],
    pk: ["id"],
    indexes: {
      "PRIMARY": "id BTREE unique primary"
    }
  },
  ["__proto__"]: {
    kind: "table",
    fields: ["id: integer [int(11)]", "constructor: string? [varchar(10)]"],
    pk: ["id"],
    indexes: {
      "PRIMARY": "id BTREE unique primary"
    }
  },
  "active_users": {
    kind: "view",
    updatable: true,
    fields: ["id: integer [int(11)]", "name: string [varchar(50)]"]
  },
  "articles": {
    kind: "table",
    fields: [
      "id: integer [int(11)] auto_increment",
      "title: string [varchar(200)]",
      "body: string? [text]",
      "slug: string [varchar(100)]",
      "rating: integer? [int(11)]",
      "place: unknown [point]"
    ],
    pk: ["id"],
    uniques: {
      "articles_slug": ["slug"],
      "articles_title_rating": ["title", "rating"]
    },
    indexes: {
      "PRIMARY": "id BTREE unique primary",
      "articles_place": "place SPATIAL",
      "articles_rating_desc": "rating BTREE {\"desc:rating\":true}",
      "articles_slug": "slug BTREE unique",
      "articles_text": "title,body FULLTEXT",
      "articles_title_prefix": "title BTREE {\"prefix:title\":20}",
      "articles_title_rating": "title,rating BTREE unique"
    }
  },
  "composite_child": {
    kind: "table",
    fields: ["id: integer [int(11)] auto_increment", "tenant: integer [int(11)]", "code: string [varchar(20)]"],
    pk: ["id"],
    relations: {
      "composite_child_parent": "tenant,code -> MAIN.composite_pk(tenant,code) cascade/restrict"
    },
    indexes: {
      "PRIMARY": "id BTREE unique primary",
      "composite_child_parent": "tenant,code BTREE"
    }
  },
  "composite_pk": {
    kind: "table",
    fields: ["tenant: integer [int(11)]", "code: string [varchar(20)]", "label: string? [varchar(50)]"],
    pk: ["tenant", "code"],
    indexes: {
      "PRIMARY": "tenant,code BTREE unique primary"
    }
  },
  "constructor": {
    kind: "table",
    fields: ["id: integer [int(11)]", "__proto__: string? [varchar(10)]"],
    pk: ["id"],
    indexes: {
      "PRIMARY": "id BTREE unique primary"
    }
  } satisfies ExpectedEntity, // a key named like an Object member gets no contextual type of its own
  "events": {
    kind: "partitioned_table",
    fields: ["id: integer [int(11)]", "at: date [date]", "payload: json? [longtext]"],
    pk: ["id", "at"],
    indexes: {
      "PRIMARY": "id,at BTREE unique primary"
    }
  },
  "every_type": {
    kind: "table",
    comment: "One column of every type",
    fields: [
      "id: bigint [bigint(20) unsigned] auto_increment",
      "flag: boolean [tinyint(1)] default=0",
      "tiny: integer? [tinyint(4)]",
      "tiny_u: integer? [tinyint(3) unsigned]",
      "small: integer? [smallint(6)]",
      "small_u: integer? [smallint(5) unsigned]",
      "medium: integer? [mediumint(9)]",
      "medium_u: integer? [mediumint(8) unsigned]",
      "normal: integer? [int(11)]",
      "normal_u: integer? [int(10) unsigned]",
      "big: bigint? [bigint(20)]",
      "big_u: bigint? [bigint(20) unsigned]",
      "decimal: decimal? [decimal(30,10)]",
      "num: decimal? [decimal(5,2)]",
      "fl: float? [float]",
      "dbl: float? [double]",
      "bit1: bytes? [bit(1)]",
      "bits: bytes? [bit(12)]",
      "d: date? [date]",
      "dt: timestamp? [datetime]",
      "dt6: timestamp? [datetime(6)]",
      "ts: timestamptz? [timestamp(3)]",
      "t: time? [time]",
      "t3: time? [time(3)]",
      "y: integer? [year(4)]",
      "ch: string? [char(3)]",
      "vc: string? [varchar(50)]",
      "tt: string? [tinytext]",
      "tx: string? [text]",
      "mt: string? [mediumtext]",
      "lt: string? [longtext]",
      "bin: bytes? [binary(4)]",
      "vbin: bytes? [varbinary(16)]",
      "tb: bytes? [tinyblob]",
      "bl: bytes? [blob]",
      "mb: bytes? [mediumblob]",
      "lb: bytes? [longblob]",
      "doc: json? [longtext]",
      "mood: enum? [enum('','it''s','a,b','with space','ünï 日本','back\\\\slash','q\"d','a*/b')] values=[\"\",\"it's\",\"a,b\",\"with space\",\"ünï 日本\",\"back\\\\slash\",\"q\\\"d\",\"a*/b\"]",
      "tags: array? [set('a','b c','ü','it''s')] items=enum[\"a\",\"b c\",\"ü\",\"it's\"]",
      "pt: unknown? [point]",
      "geo: unknown? [geometry]",
      "line: unknown? [linestring]",
      "poly: unknown? [polygon]",
      "uid: uuid? [uuid]",
      "ip6: string? [inet6]"
    ],
    pk: ["id"],
    indexes: {
      "PRIMARY": "id BTREE unique primary"
    }
  },
  "key": {
    kind: "view",
    updatable: true,
    fields: ["order: integer? [int(11)]", "key: string? [varchar(10)]"]
  },
  "line_items": {
    kind: "table",
    fields: [
      "order_id: integer [int(11)]",
      "line: integer [int(11)]",
      "price: decimal [decimal(10,2)]",
      "qty: integer [int(11)] default=1",
      "total: decimal? [decimal(12,2)] generated=stored",
      "label: string [varchar(40)] default='it''s \\\\ \"x\"'",
      "label_upper: string? [varchar(40)] generated=virtual",
      "ref: string? [varchar(36)] default=uuid()",
      "created: date? [date] default='2020-01-01'",
      "updated_at: timestamptz [timestamp(3)] default=CURRENT_TIMESTAMP(3)"
    ],
    pk: ["order_id", "line"],
    relations: {
      "line_items_order": "order_id -> MAIN.orders(id) cascade/restrict"
    },
    indexes: {
      "PRIMARY": "order_id,line BTREE unique primary"
    },
    checks: {
      "price": "`price` >= 0",
      "qty_positive": "`qty` > 0"
    }
  },
  "orders": {
    kind: "table",
    fields: [
      "id: integer [int(11)] auto_increment",
      "user_id: integer? [int(11)]",
      "account_id: integer? [int(11)]",
      "status: enum [enum('new','paid','shipped')] default='new' values=[\"new\",\"paid\",\"shipped\"]"
    ],
    pk: ["id"],
    relations: {
      "orders_account": "account_id -> OTHER.accounts(id) restrict/cascade",
      "orders_user": "user_id -> MAIN.users(id) restrict/restrict"
    },
    indexes: {
      "PRIMARY": "id BTREE unique primary",
      "orders_account": "account_id BTREE",
      "orders_user": "user_id BTREE"
    }
  },
  "select": {
    kind: "table",
    fields: ["order: integer? [int(11)]", "key: string? [varchar(10)]", "from: string? [varchar(10)]"]
  },
  "simple": {
    kind: "table",
    comment: "A plain table. This comment ends a block */ comment\nand spans two lines",
    fields: [
      "id: integer [int(11)] auto_increment",
      "name: string [varchar(100)] comment=\"display name */ not a comment end\"",
      "score: bigint? [bigint(20)]",
      "created_at: timestamp [datetime] default=CURRENT_TIMESTAMP"
    ],
    pk: ["id"],
    indexes: {
      "PRIMARY": "id BTREE unique primary"
    }
  },
  "user_counts": {
    kind: "view",
    updatable: false,
    fields: ["n: bigint [bigint(21)]"]
  },
  "users": {
    kind: "table",
    fields: [
      "id: integer [int(11)] auto_increment",
      "name: string [varchar(50)]",
      "manager_id: integer? [int(11)]",
      "email: string? [varchar(100)]"
    ],
    pk: ["id"],
    uniques: {
      "users_email": ["email"]
    },
    relations: {
      "users_manager": "manager_id -> MAIN.users(id) set_null/restrict"
    },
    indexes: {
      "PRIMARY": "id BTREE unique primary",
      "users_email": "email BTREE unique",
      "users_manager": "manager_id BTREE"
    }
  },
  "weird `tick` \"quote\" 'single' café 日本": {
    kind: "table",
    fields: [
      "id: bigint [bigint(20)] auto_increment",
      "__proto__: string? [varchar(20)]",
      "constructor: string? [varchar(20)]",
      "toString: string? [varchar(20)]",
      "has space: string? [varchar(20)]",
      "quote\"d: string? [varchar(40)]",
      "back`tick: string? [varchar(20)]",
      "it's: string? [varchar(20)]",
      "café: string? [varchar(20)]",
      "日本: integer? [int(11)]",
      "a*/b: string? [varchar(20)] comment=\"ends */ a comment\"",
      "select: string? [varchar(20)]",
      "what?: string? [varchar(20)]"
    ],
    pk: ["id"],
    indexes: {
      "PRIMARY": "id BTREE unique primary"
    }
  },
};
