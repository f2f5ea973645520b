/**
 * Turns drizzle rows into idempotent SQL (`INSERT OR IGNORE`), for seeds that
 * `wrangler d1 execute --file` applies. Column names come from the schema, so
 * the SQL always matches the migrations.
 */
import { getTableColumns, getTableName, type Table } from 'drizzle-orm';

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
  if (typeof value === 'boolean') return value ? '1' : '0';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `'${text.replace(/'/g, "''")}'`;
}

export function insertOrIgnore<T extends Table>(table: T, row: Partial<T['$inferInsert']>): string {
  const columns = getTableColumns(table);
  const entries = Object.entries(row).filter(([key]) => key in columns);
  const names = entries.map(([key]) => `"${columns[key]!.name}"`);
  const values = entries.map(([, value]) => literal(value));
  return `INSERT OR IGNORE INTO "${getTableName(table)}" (${names.join(', ')}) VALUES (${values.join(', ')});`;
}
