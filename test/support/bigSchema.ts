/**
 * A larger schema for the "cost does not grow with size" checks: `tables` tables of 12 columns each, in two
 * schemas, with enums, a domain, foreign keys (to the previous table and across schemas), indexes and views.
 * One multi-statement string, so creating it is one round trip.
 */
export function bigSchemaSql(tables: number): string {
  const out: string[] = [
    'CREATE SCHEMA app;',
    'CREATE SCHEMA audit;',
    "CREATE TYPE app.state AS ENUM ('new', 'open', 'closed');",
    "CREATE TYPE audit.level AS ENUM ('info', 'warn', 'error');",
    'CREATE DOMAIN app.amount AS numeric(12,2) CHECK (VALUE >= 0);',
  ];
  for (let i = 0; i < tables; i++) {
    const schema = i % 5 === 4 ? 'audit' : 'app';
    const name = `${schema}.t${String(i).padStart(4, '0')}`;
    const prev = i > 0 ? `${(i - 1) % 5 === 4 ? 'audit' : 'app'}.t${String(i - 1).padStart(4, '0')}` : undefined;
    out.push(
      `CREATE TABLE ${name} (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        code text NOT NULL UNIQUE,
        state app.state NOT NULL DEFAULT 'new',
        levels audit.level[],
        total app.amount,
        data jsonb,
        tags text[] DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        qty integer,
        ratio double precision,
        note varchar(200),
        ${prev ? `prev_id bigint REFERENCES ${prev} (id)` : 'prev_id bigint'}
      );`,
      `CREATE INDEX ON ${name} (created_at) WHERE qty > 0;`,
      `COMMENT ON TABLE ${name} IS 'table ${i}';`,
    );
    if (i % 50 === 0) out.push(`CREATE VIEW ${schema}.v${i} AS SELECT id, code, state FROM ${name};`);
  }
  return out.join('\n');
}
