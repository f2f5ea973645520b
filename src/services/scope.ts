/**
 * The scope a service call runs in: everything a business rule needs to know
 * about who is asking and where, with no notion of the door it came through.
 * Built by one middleware for HTTP (`http/middleware/scope.ts`), by the
 * API-key path for MCP, and by `systemScope` inside a Durable Object, a queue
 * consumer or a cron job.
 *
 * @example
 * const scope = systemScope(env, { requestId: 'cron:backup' });
 * await listCampaigns(scope, { status: 'all' }); // throws 401: no principal
 */
import type { Principal } from '../auth/principal';
import { unauthorized } from '../auth/principal';
import { readConfig, type Config } from '../config';
import { createDatabase, type Database } from '../db/client';

export interface Scope {
  /** Typed queries (drizzle); the raw binding, for the few statements drizzle cannot express, is `env.DB`. */
  db: Database;
  env: Env;
  config: Config;
  /** The caller; null for anonymous requests (register, sign in) and for system work. */
  principal: Principal | null;
  /** Correlates logs, audit rows and problems. */
  requestId: string;
  /** The caller's address as the platform reports it, when there is one. */
  ip: string | null;
  /** Work to finish after the answer (ExecutionContext.waitUntil where the door has one). */
  defer(work: Promise<unknown>): void;
}

export interface ScopeInit {
  principal?: Principal | null;
  requestId?: string;
  ip?: string | null;
  defer?: (work: Promise<unknown>) => void;
}

/** A scope for code that has an Env but no request: Durable Objects, queue consumers, cron. */
export function systemScope(env: Env, init: ScopeInit = {}): Scope {
  return {
    db: createDatabase(env.DB),
    env,
    config: readConfig(env),
    principal: init.principal ?? null,
    requestId: init.requestId ?? crypto.randomUUID(),
    ip: init.ip ?? null,
    defer: init.defer ?? ((work) => void work.catch(() => undefined)),
  };
}

/** The caller of a service that needs one, or a 401 problem. */
export function callerOf(scope: Scope): Principal {
  if (!scope.principal) throw unauthorized('Sign in first');
  return scope.principal;
}
