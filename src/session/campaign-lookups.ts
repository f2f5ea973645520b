/** The campaign facts a live table needs from D1: a character (for acting as it) and a member (for whispers). */
import { abilityModifier, CharacterSheetSchema } from '../game/character-sheet';
import type { CharacterInfo } from './engine';

export async function lookupCharacter(db: D1Database, campaignId: string, characterId: string): Promise<CharacterInfo | null> {
  const row = await db.prepare('SELECT id, name, owner_user_id, sheet FROM characters WHERE id = ? AND campaign_id = ? AND deleted_at IS NULL')
    .bind(characterId, campaignId).first<{ id: string; name: string; owner_user_id: string | null; sheet: string }>();
  if (!row) return null;
  const sheet = CharacterSheetSchema.safeParse(JSON.parse(row.sheet));
  if (!sheet.success) return { id: row.id, name: row.name, ownerUserId: row.owner_user_id, initiativeBonus: 0, hp: null, armorClass: null };
  const { abilities, initiativeBonus, hp, armorClass } = sheet.data;
  return { id: row.id, name: row.name, ownerUserId: row.owner_user_id, initiativeBonus: initiativeBonus ?? abilityModifier(abilities.dex), hp, armorClass };
}

export async function lookupMember(db: D1Database, campaignId: string, userId: string): Promise<{ userId: string; displayName: string } | null> {
  const row = await db.prepare('SELECT u.id, u.display_name FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.campaign_id = ? AND m.user_id = ?')
    .bind(campaignId, userId).first<{ id: string; display_name: string }>();
  return row ? { userId: row.id, displayName: row.display_name } : null;
}
