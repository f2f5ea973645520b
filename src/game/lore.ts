/**
 * Documents of the campaign's world: NPCs, locations and plot threads.
 * Each has a part the party may read (`data`) and a GM-only part (`gmOnly`)
 * that is never sent to players.
 */
import { z } from 'zod';

const text = (max: number) => z.string().max(max).default('');
const list = z.array(z.string().trim().min(1).max(500)).max(100).default([]);

const GmOnlyBase = z.object({ notes: text(20_000), secrets: list });

export const NpcDataSchema = z.object({
  role: text(200),
  description: text(5000),
  appearance: text(2000),
  personality: z.object({
    traits: list, ideals: list, bonds: list, flaws: list,
    /** How the narrator should voice them: accent, pace, verbal tics. */
    voice: text(500),
    mannerisms: list,
  }).default({ traits: [], ideals: [], bonds: [], flaws: [], voice: '', mannerisms: [] }),
  locationId: z.string().uuid().nullable().default(null),
  tags: list,
  /** The speaker of the campaign's speech model that voices them (when voices are on); empty: one chosen from their id. */
  speaker: z.string().trim().max(40).regex(/^[a-z0-9_-]*$/i, 'Letters, digits, - and _').default(''),
});
export const NpcGmOnlySchema = GmOnlyBase.extend({ motivation: text(2000), statBlock: text(10_000) });

export const LocationDataSchema = z.object({
  kind: text(100),
  description: text(10_000),
  parentLocationId: z.string().uuid().nullable().default(null),
  tags: list,
});
export const LocationGmOnlySchema = GmOnlyBase;

export const PlotThreadDataSchema = z.object({
  status: z.enum(['open', 'active', 'resolved', 'abandoned']).default('open'),
  summary: text(10_000),
  tags: list,
});
export const PlotThreadGmOnlySchema = GmOnlyBase.extend({ nextSteps: list });

/** `house-rule`: the table's own rules, retrieved with the books and winning over them (services/rules.ts). */
export const NOTE_CATEGORIES = ['general', 'combat', 'roleplay', 'loot', 'quest', 'lore', 'recap', 'house-rule'] as const;

/** Relationship score: −100 hostile, 0 neutral, 100 devoted. */
export const RelationshipScore = z.number().int().min(-100).max(100);

/** A word for a relationship score, for prompts and players who see no numbers. */
export function relationshipLabel(score: number): string {
  if (score <= -60) return 'hostile';
  if (score <= -20) return 'unfriendly';
  if (score < 20) return 'neutral';
  if (score < 60) return 'friendly';
  return 'devoted';
}
