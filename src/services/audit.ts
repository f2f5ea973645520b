/**
 * Audit log of security events (sign-ins, failures, token reuse, role changes).
 * Written inline, not deferred: an audit row must not be lost.
 */
import { newId } from '../db/client';
import { auditEvents } from '../db/schema';
import type { Scope } from './scope';

export type AuditType =
  | 'auth.register' | 'auth.login' | 'auth.login_failed' | 'auth.login_throttled' | 'auth.logout' | 'auth.refresh_reuse'
  | 'apikey.create' | 'apikey.revoke'
  | 'campaign.create' | 'campaign.archive' | 'campaign.import'
  | 'invite.create' | 'invite.revoke' | 'member.join' | 'member.role_change' | 'member.remove' | 'member.leave'
  | 'revision.restore'
  | 'maintenance.run' | 'backup.start' | 'backup.done' | 'backup.failed' | 'cache.clear';

export async function audit(
  scope: Scope,
  type: AuditType,
  detail: { actorUserId?: string | null; campaignId?: string | null; [key: string]: unknown } = {},
) {
  const { actorUserId, campaignId, ...rest } = detail;
  await scope.db.insert(auditEvents).values({
    id: newId(),
    type,
    actorUserId: actorUserId ?? scope.principal?.userId ?? null,
    campaignId: campaignId ?? null,
    ip: scope.ip,
    requestId: scope.requestId,
    detail: rest,
  });
}
