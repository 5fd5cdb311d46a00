import { escapeId } from 'mysql2';
import type { EntityRef, PreviewPage, Snippets } from '../../core/backend';
import { toPreviewCell } from '../../core/preview';

/**
 * Preview Data, Show DDL and Copy Name / Copy Query for MySQL and MariaDB. Identifiers are quoted with
 * mysql2's escapeId; values are `?` parameters.
 */
type QueryWithFields = (sql: string, values: unknown[], signal?: AbortSignal) => Promise<{ fields: string[]; rows: unknown[][] }>;

export const tableName = (ref: EntityRef): string => `${escapeId(ref.namespace)}.${escapeId(ref.entity)}`;

export const mysqlSnippets: Snippets = {
  name: (ref, field) => (field === undefined ? tableName(ref) : escapeId(field)),
  select: (ref, fields, limit) => `SELECT ${fields.length ? fields.map((f) => escapeId(f)).join(', ') : '*'}\nFROM ${tableName(ref)}\nLIMIT ${Math.max(1, Math.floor(limit))};`,
};

export async function mysqlPreview(query: QueryWithFields, ref: EntityRef, page: { limit: number; offset: number }, signal?: AbortSignal): Promise<PreviewPage> {
  const limit = Math.max(1, Math.min(10_000, Math.floor(page.limit)));
  const offset = Math.max(0, Math.floor(page.offset));
  const { fields, rows } = await query(`SELECT * FROM ${tableName(ref)} LIMIT ? OFFSET ?`, [limit + 1, offset], signal);
  return { columns: fields, rows: rows.slice(0, limit).map((r) => r.map((v) => toPreviewCell(v))), offset, hasMore: rows.length > limit };
}

/** The server's own CREATE statement (SHOW CREATE TABLE answers for views too). */
export async function mysqlDdl(query: QueryWithFields, ref: EntityRef, signal?: AbortSignal): Promise<string> {
  const { rows } = await query(`SHOW CREATE TABLE ${tableName(ref)}`, [], signal);
  const text = rows[0]?.[1];
  return `${typeof text === 'string' ? text : String(text ?? '')};\n`;
}
