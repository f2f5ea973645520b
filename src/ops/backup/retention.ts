/**
 * Which finished backups to delete: keep the newest of each of the last
 * `daily` days that have a backup, and the newest of each of the last
 * `monthly` months (grandfather–father–son, days and months in UTC).
 * Everything else goes. Pure, so it is unit-tested on its own.
 */
export interface Retention { daily: number; monthly: number }

export function expired(backups: { id: string; startedAt: string }[], keep: Retention): string[] {
  const newestFirst = [...backups].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const kept = new Set<string>();
  const pick = (period: (iso: string) => string, count: number) => {
    const seen = new Set<string>();
    for (const backup of newestFirst) {
      const key = period(backup.startedAt);
      if (seen.has(key)) continue;
      if (seen.size >= count) break;
      seen.add(key);
      kept.add(backup.id);
    }
  };
  pick((iso) => iso.slice(0, 10), keep.daily);
  pick((iso) => iso.slice(0, 7), keep.monthly);
  return newestFirst.filter((b) => !kept.has(b.id)).map((b) => b.id);
}
