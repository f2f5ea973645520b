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
  startedAt: string | null; endedAt: string | null; recap: string; gmRecap?: string;
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
