/** The API's response shapes the screens read (the OpenAPI document at /api/openapi.json is the reference). */
import type { Role } from '../../../src/game/roles';
import type { CharacterSheet } from '../../../src/game/character-sheet';

export type { Role, CharacterSheet };

export interface Campaign {
  id: string; name: string; gameSystem: string; setting: string; description: string; status: 'active' | 'archived';
  createdAt: string; updatedAt: string; version: number; myRole: Role;
}
export interface Member { userId: string; displayName: string; email?: string; role: Role; joinedAt: string }
export interface Invite { id: string; code: string; role: 'player' | 'spectator'; maxUses: number; uses: number; expiresAt: string; url?: string }
export interface GameSession {
  id: string; campaignId: string; title: string; status: 'scheduled' | 'live' | 'ended'; scheduledFor: string | null;
  startedAt: string | null; endedAt: string | null; recap: string; gmRecap?: string; recapStatus?: string; recapLabel?: string | null;
}
export interface Character { id: string; campaignId: string; ownerUserId: string | null; name: string; sheet: CharacterSheet; version: number; updatedAt?: string }
export interface Rulebook {
  id: string; title: string; filename: string; sourceType: 'rules' | 'lore'; attribution: string; sizeBytes: number;
  status: 'uploaded' | 'processing' | 'ready' | 'failed'; progress: { stage: string; pagesDone: number; pagesTotal: number | null; chunks: number };
  error: string | null; fileUrl: string; createdAt: string;
}
export interface LoreItem { id: string; name: string; visibility: 'party' | 'gm'; data: Record<string, unknown>; gmOnly?: Record<string, unknown>; version: number }
export interface Note { id: string; title: string; body: string; category: string; visibility: string; canEdit: boolean; version: number; updatedAt: string }
export interface Revision {
  id: string; entityType: string; entityId: string; version: number; action: 'create' | 'update' | 'delete' | 'restore';
  authorId: string | null; createdAt: string; restoredFrom: string | null;
}
export interface RevisionDiff { from: Revision | null; to: Revision; changes: { path: string; op: 'add' | 'remove' | 'change'; before?: unknown; after?: unknown }[] }
export interface SearchHit {
  passageId: number; rulebookId: string; rulebookTitle: string; attribution: string; page: number; headingPath: string[];
  contentType: string; snippet: string; score: number; url: string;
}
export interface SearchResult { query: string; hits: SearchHit[]; didYouMean: string | null; narrowedTo: string | null }
export interface RulesAnswer { answer: string; citations?: { rulebookTitle: string; page: number; url: string }[]; [k: string]: unknown }
export interface Page<T> { items: T[] }

/** The narrator's settings (GET/PUT /campaigns/{id}/narrator). */
export interface NarratorSettings {
  provider: string; effective: { kind: string; model: string; label: string }; available: string[];
  stylePreset: string | null; styleSample: string; style: string; presets: Record<string, string>;
  speech: { enabled: boolean; narratorVoice: string; kind: string; model: string; label: string; voices: string[] };
}
export interface UsagePeriod { since: string; calls: number; inputTokens: number; outputTokens: number; estimatedUsd: number; byKind: { kind: string; provider: string; model: string; calls: number; inputTokens: number; outputTokens: number; estimatedUsd: number }[] }
export interface AiUsage { today: UsagePeriod; month: UsagePeriod; budgets: Record<string, number | boolean> }
export interface LorePreview { kind: 'npc' | 'location'; name: string; visibility: 'party'; data: Record<string, unknown>; gmOnly: Record<string, unknown>; label: string; accept: { path: string } }
export interface EncounterPreview {
  kind: 'encounter'; title: string; setup: string; tactics: string; difficulty: string; rating: string; partyLevels: number[];
  xp: { raw: number; adjusted: number; multiplier: number; thresholds: Record<string, number> };
  monsters: { name: string; cr: string; xp: number; count: number; type: string | null; armorClass: number | null; hitPoints: number | null; source: { page: number; url: string } | null }[];
  label: string; note: { title: string; body: string; category: string; visibility: string };
}
export interface RecapHit { sessionId: string; title: string; endedAt: string | null; snippet: string }
export interface Judgement {
  kind: string;
  opinion: { verdict: string; summary: string; comparisons: { citation: string; url: string; note: string }[]; suggestions: string[]; label: string; disclaimer: string } | null;
  reason: string | null;
  comparables: { citation: string; rulebookTitle: string; page: number; headingPath: string[]; url: string; snippet: string; attribution?: string | null }[];
}
