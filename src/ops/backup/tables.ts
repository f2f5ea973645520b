/**
 * The database as a backup sees it, through the raw D1 binding (the dump is
 * generic over tables, which drizzle is not): which tables hold data, in an
 * order that lets a restore insert each after those it references, and their
 * rows page by page in rowid order.
 */

/** Never dumped: SQLite's and D1's own tables, the migration log (the restored database has its own), backup runs. */
/** What the dump and the restore need of a database: D1's binding, in the Worker or through wrangler's platform proxy. */
export interface SqlStatement {
  bind(...values: unknown[]): SqlStatement;
  all<T = Record<string, unknown>>(): Promise<{ results: T[] }>;
  first<T = Record<string, unknown>>(): Promise<T | null>;
  run(): Promise<unknown>;
}
export interface SqlDatabase {
  prepare(query: string): SqlStatement;
  batch(statements: SqlStatement[]): Promise<{ results: unknown[] }[]>;
}

const INTERNAL = /^(sqlite_|_cf_|d1_migrations$|backup_runs$)/;
const FTS_SHADOWS = ['_data', '_idx', '_docsize', '_config', '_content'];

export interface TablePlan { name: string; columns: string[] }

export interface Layout {
  tables: TablePlan[];
  /** Full-text indexes and their shadow tables: rebuilt from their content tables on restore. */
  skipped: string[];
  fts: string[];
}

export const quoteName = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function readLayout(db: SqlDatabase): Promise<Layout> {
  const { results } = await db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name`).all<{ name: string; sql: string | null }>();
  const fts = results.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql ?? '')).map((t) => t.name);
  const skipped = results.map((t) => t.name).filter((name) => fts.includes(name) || fts.some((f) => FTS_SHADOWS.some((s) => name === f + s)));
  const names = results.map((t) => t.name).filter((name) => !INTERNAL.test(name) && !skipped.includes(name));
  const info = await db.batch(names.flatMap((name) => [
    db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).bind(name),
    db.prepare(`SELECT DISTINCT "table" AS parent FROM pragma_foreign_key_list(?)`).bind(name),
  ]));
  const columns = new Map(names.map((name, i) => [name, (info[2 * i]!.results as { name: string }[]).map((c) => c.name)]));
  const parents = new Map(names.map((name, i) => [name, (info[2 * i + 1]!.results as { parent: string }[]).map((p) => p.parent).filter((p) => p !== name && names.includes(p))]));
  return { tables: dependencyOrder(names, parents).map((name) => ({ name, columns: columns.get(name)! })), skipped, fts };
}

/** Parents before children; names keep their alphabetical order otherwise (a cycle, which this schema has none of, keeps it too). */
export function dependencyOrder(names: string[], parents: Map<string, string[]>): string[] {
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (placed.has(name) || visiting.has(name)) return;
    visiting.add(name);
    for (const parent of parents.get(name) ?? []) visit(parent);
    visiting.delete(name);
    placed.add(name);
    ordered.push(name);
  };
  for (const name of names) visit(name);
  return ordered;
}

/** The newest migration applied (wrangler's and the test harness's `d1_migrations` log). */
export async function latestMigration(db: SqlDatabase): Promise<string> {
  const row = await db.prepare(`SELECT name FROM d1_migrations ORDER BY id DESC LIMIT 1`).first<{ name: string }>().catch(() => null);
  return row?.name?.replace(/\.sql$/, '') ?? 'none';
}

/** Up to `limit` rows after `after` in rowid order; `rowid` is returned apart from the row. */
export async function readPage(db: SqlDatabase, table: TablePlan, after: number, limit: number): Promise<{ rowid: number; row: Record<string, unknown> }[]> {
  const columns = table.columns.map(quoteName).join(', ');
  const { results } = await db.prepare(`SELECT rowid AS "__rowid", ${columns} FROM ${quoteName(table.name)} WHERE rowid > ? ORDER BY rowid LIMIT ?`).bind(after, limit).all<Record<string, unknown>>();
  return results.map(({ __rowid, ...row }) => ({ rowid: Number(__rowid), row }));
}
