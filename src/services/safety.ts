/**
 * A campaign's lines and veils: what never appears in the game, and what
 * happens only off-screen. Every member reads them; players and the GM add to
 * them anonymously (no author is stored, so nobody can be singled out); only
 * the GM edits or removes items. Live tables hear of every change at once.
 */
import { eq } from 'drizzle-orm';
import { nowIso } from '../db/client';
import { safetyLists } from '../db/schema';
import { conflict } from '../lib/problem';
import { requireMember } from './policy';
import type { Scope } from './scope';
import { tellTablesSafety } from './sessions';

export const MAX_SAFETY_ITEMS = 100;

export interface SafetyLists {
  lines: string[];
  veils: string[];
}

async function read(scope: Scope, campaignId: string): Promise<SafetyLists & { updatedAt: string | null }> {
  const row = await scope.db.select().from(safetyLists).where(eq(safetyLists.campaignId, campaignId)).get();
  return row ? { lines: row.lines, veils: row.veils, updatedAt: row.updatedAt } : { lines: [], veils: [], updatedAt: null };
}

async function write(scope: Scope, campaignId: string, lists: SafetyLists) {
  const updatedAt = nowIso();
  await scope.db.insert(safetyLists).values({ campaignId, ...lists, updatedAt })
    .onConflictDoUpdate({ target: safetyLists.campaignId, set: { ...lists, updatedAt } });
  await tellTablesSafety(scope, campaignId, lists);
  return { ...lists, updatedAt };
}

export async function getSafety(scope: Scope, campaignId: string) {
  const member = await requireMember(scope, campaignId);
  return read(scope, member.campaign.id);
}

/** Adds a line or veil (players and GMs); the same words twice are kept once. */
export async function addSafetyItem(scope: Scope, campaignId: string, input: { kind: 'line' | 'veil'; text: string }) {
  const member = await requireMember(scope, campaignId, 'player', true);
  const current = await read(scope, member.campaign.id);
  const key = input.kind === 'line' ? 'lines' : 'veils';
  if (current[key].some((t) => t.toLowerCase() === input.text.toLowerCase())) return current;
  if (current.lines.length + current.veils.length >= MAX_SAFETY_ITEMS) throw conflict(`At most ${MAX_SAFETY_ITEMS} lines and veils per campaign`);
  return write(scope, member.campaign.id, { lines: current.lines, veils: current.veils, [key]: [...current[key], input.text] });
}

/** Replaces both lists (GM). */
export async function setSafety(scope: Scope, campaignId: string, input: SafetyLists) {
  const gm = await requireMember(scope, campaignId, 'gm', true);
  const dedupe = (items: string[]) => [...new Map(items.map((t) => [t.toLowerCase(), t])).values()];
  return write(scope, gm.campaign.id, { lines: dedupe(input.lines), veils: dedupe(input.veils) });
}
