/**
 * Just enough of the D1 API over node:sqlite (prepare/bind/all/first/run,
 * batch) to run the rulebook store's SQL in Node: the retrieval tuning loop
 * (`bench/retrieval-tune.ts`) ingests and searches the SRD in seconds instead
 * of a minute under wrangler dev. Same SQLite, same FTS5 and bm25; the real
 * Worker is what `bench/retrieval.ts` measures. D1_SLOW=<ms> logs statements
 * slower than that (how the per-chunk MATCH plan was found).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';

class Statement {
  constructor(readonly db: DatabaseSync, readonly sql: string, readonly params: unknown[] = []) {}
  bind(...params: unknown[]) { return new Statement(this.db, this.sql, params); }
  async all<T>() {
    const t = performance.now();
    const results = this.db.prepare(this.sql).all(...(this.params as SQLInputValue[])) as T[];
    if (process.env.D1_SLOW && performance.now() - t > Number(process.env.D1_SLOW)) console.log(`${(performance.now() - t).toFixed(1)} ms: ${this.sql.slice(0, 200)}`);
    return { results, success: true, meta: {} };
  }
  async first<T>() { return (this.db.prepare(this.sql).get(...(this.params as SQLInputValue[])) ?? null) as T | null; }
  async run() { this.db.prepare(this.sql).run(...(this.params as SQLInputValue[])); return { success: true, results: [], meta: {} }; }
}

export function sqliteD1(migrationsDir: URL): { d1: D1Database; db: DatabaseSync } {
  const db = new DatabaseSync(':memory:');
  for (const file of readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort()) db.exec(readFileSync(new URL(file, migrationsDir), 'utf8'));
  const d1 = {
    prepare: (sql: string) => new Statement(db, sql),
    batch: async (statements: Statement[]) => {
      db.exec('BEGIN');
      try {
        const out = [];
        for (const s of statements) out.push(await s.all());
        db.exec('COMMIT');
        return out;
      } catch (err) {
        db.exec('ROLLBACK');
        throw err;
      }
    },
  };
  return { d1: d1 as unknown as D1Database, db };
}
