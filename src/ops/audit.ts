/**
 * Audit log of security events (sign-ins, failures, token reuse, role changes).
 * Written inline, not in waitUntil: an audit row must not be lost.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env';
import { auditEvents } from '../db/schema';
import { newId } from '../db/client';

export type AuditType =
  | 'auth.register' | 'auth.login' | 'auth.login_failed' | 'auth.login_throttled' | 'auth.logout' | 'auth.refresh_reuse'
  | 'apikey.create' | 'apikey.revoke'
  | 'campaign.create' | 'campaign.archive'
  | 'invite.create' | 'invite.revoke' | 'member.join' | 'member.role_change' | 'member.remove' | 'member.leave'
  | 'revision.restore';

export async function audit(
  c: Context<AppEnv>,
  type: AuditType,
  detail: { actorUserId?: string | null; campaignId?: string | null; [key: string]: unknown } = {},
) {
  const { actorUserId, campaignId, ...rest } = detail;
  await c.get('db').insert(auditEvents).values({
    id: newId(),
    type,
    actorUserId: actorUserId ?? c.get('principal')?.userId ?? null,
    campaignId: campaignId ?? null,
    ip: c.req.header('cf-connecting-ip') ?? null,
    requestId: c.get('requestId'),
    detail: rest,
  });
}
