/**
 * The one membership write drizzle cannot express: claiming an invite use and
 * adding the member in one batch that relies on SQLite's `changes()`.
 */
import { isUniqueViolation } from '../db/errors';
import { conflict } from '../lib/problem';

/**
 * Claims a use of the invite and adds `userId` with the invite's role, atomically. The insert
 * runs only when the conditional update claimed a use (`changes() = 1`), so spent, expired or
 * revoked codes add nobody, even under concurrent joins. Returns whether a use was claimed.
 */
export async function claimInvite(d1: D1Database, inviteId: string, userId: string, now: string): Promise<boolean> {
  const [claim] = await d1.batch([
    d1.prepare('UPDATE invites SET uses = uses + 1 WHERE id = ?1 AND uses < max_uses AND expires_at > ?2 AND revoked_at IS NULL').bind(inviteId, now),
    d1.prepare('INSERT INTO memberships (campaign_id, user_id, role, joined_at) SELECT campaign_id, ?1, role, ?2 FROM invites WHERE id = ?3 AND changes() = 1')
      .bind(userId, now, inviteId),
  ]).catch((err: unknown) => {
    if (isUniqueViolation(err)) throw conflict('You are already a member of this campaign');
    throw err;
  });
  return Boolean(claim && claim.meta.changes > 0);
}
