/** Recognises SQLite constraint failures surfaced by D1 (possibly wrapped by drizzle). */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if (/UNIQUE constraint failed|SQLITE_CONSTRAINT_PRIMARYKEY|PRIMARY KEY constraint/i.test(e.message)) return true;
  }
  return false;
}
