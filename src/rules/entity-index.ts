/** Loads the rules entities (spell, monster, item and condition headings) of a campaign's ready rulebooks. */
import { EntityIndex, NOT_ENTITIES, type EntityDefinition } from './entity-check';

export async function loadEntityIndex(db: D1Database, campaignId: string): Promise<EntityIndex> {
  const rows = await db.prepare(`SELECT c.heading AS name, c.content_type AS type, c.rulebook_id, min(c.page) AS page
    FROM rulebook_chunks c JOIN rulebooks r ON r.id = c.rulebook_id AND r.generation = c.generation
    WHERE r.campaign_id = ? AND r.status = 'ready' AND c.content_type IN ('spell', 'monster', 'item', 'condition') AND c.heading != ''
      AND lower(c.heading) NOT IN (${NOT_ENTITIES.map(() => '?').join(',')})
    GROUP BY c.heading, c.content_type, c.rulebook_id`).bind(campaignId, ...NOT_ENTITIES).all<{ name: string; type: string; rulebook_id: string; page: number }>();
  const definitions: EntityDefinition[] = rows.results.map((r) => ({ name: r.name, type: r.type, pages: [{ rulebookId: r.rulebook_id, page: r.page }] }));
  return new EntityIndex(definitions);
}

/** A fingerprint of the campaign's indexed books: check results are cached against it. */
export async function indexFingerprint(db: D1Database, campaignId: string): Promise<string> {
  const rows = await db.prepare("SELECT id, generation FROM rulebooks WHERE campaign_id = ? AND status = 'ready' ORDER BY id").bind(campaignId).all<{ id: string; generation: number }>();
  return rows.results.map((r) => `${r.id}:${r.generation}`).join(',');
}
