/**
 * The SQL of one MySQL / MariaDB benchmark schema (S / M / L = 50 / 500 / 2,000 tables), deterministic so
 * that two runs' models can be compared. Each table looks like an application's: an AUTO_INCREMENT key, a
 * tenant, an ENUM with a default, money with a CHECK, a boolean, JSON, timestamps with CURRENT_TIMESTAMP, a
 * foreign key to the table before it; some have a generated column, a composite unique key, a FULLTEXT
 * index; every 25th has a view over it. Statements are grouped so a size is built in a few round trips.
 */
export interface MysqlSizeSpec {
  label: 'S' | 'M' | 'L';
  tables: number;
}

export const MYSQL_SIZES: readonly MysqlSizeSpec[] = [
  { label: 'S', tables: 50 },
  { label: 'M', tables: 500 },
  { label: 'L', tables: 2_000 },
];

const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;

function tableSql(i: number): string {
  const t = `t${String(i).padStart(4, '0')}`;
  const columns = [
    'id INT NOT NULL AUTO_INCREMENT PRIMARY KEY',
    'tenant_id INT NOT NULL',
    `name VARCHAR(80) NOT NULL DEFAULT 'n/a' COMMENT 'display name'`,
    `status ENUM('new', 'active', 'it''s gone') NOT NULL DEFAULT 'new'`,
    'amount DECIMAL(12,2) NOT NULL DEFAULT 0 CHECK (amount >= 0)',
    'flag TINYINT(1) NOT NULL DEFAULT 0',
    'big BIGINT UNSIGNED NULL',
    'payload JSON NULL',
    'created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP',
    'updated_at TIMESTAMP NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP',
    'note TEXT NULL',
  ];
  if (i % 3 === 0) columns.push('amount_cents BIGINT AS (amount * 100) STORED');
  if (i % 4 === 0) columns.push(`tags SET('a', 'b', 'c') NULL`, 'blob_data BLOB NULL');
  if (i > 0) columns.push('parent_id INT NULL');
  const keys = [`KEY ${q(`${t}_tenant_created`)} (tenant_id, created_at)`];
  if (i % 5 === 0) keys.push(`UNIQUE KEY ${q(`${t}_tenant_name`)} (tenant_id, name)`);
  if (i % 10 === 0) keys.push(`FULLTEXT KEY ${q(`${t}_note`)} (note)`);
  if (i > 0) {
    const parent = `t${String(i - 1).padStart(4, '0')}`;
    keys.push(`CONSTRAINT ${q(`${t}_parent`)} FOREIGN KEY (parent_id) REFERENCES ${q(parent)} (id) ON DELETE SET NULL`);
  }
  const view = i % 25 === 0 ? `\nCREATE VIEW ${q(`${t}_active`)} AS SELECT id, tenant_id, name, amount FROM ${q(t)} WHERE status = 'active';` : '';
  return `CREATE TABLE ${q(t)} (\n  ${[...columns, ...keys].join(',\n  ')}\n) COMMENT 'table ${i}';${view}`;
}

/** The schema as batches of statements, in order (each table's foreign key needs the one before it). */
export function mysqlSchemaBatches(spec: MysqlSizeSpec, perBatch = 100): string[] {
  const batches: string[] = [];
  for (let start = 0; start < spec.tables; start += perBatch) {
    const end = Math.min(spec.tables, start + perBatch);
    batches.push(Array.from({ length: end - start }, (_, k) => tableSql(start + k)).join('\n'));
  }
  return batches;
}
