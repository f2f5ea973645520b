import type { Principal } from '../auth/principal';
import type { Config } from '../config';
import type { Database } from '../db/client';
import type { Scope } from '../services/scope';

/** Hono generics for every router of the API Worker. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** The id in logs, problems and `X-Request-Id`: the client's when well-formed, else ours. */
    requestId: string;
    /** Our own id for the request, always made and always logged. */
    serverRequestId: string;
    config: Config;
    db: Database;
    /** Set by authenticate() on signed-in routes. */
    principal?: Principal;
    /** What every service call receives (http/middleware/scope.ts). */
    scope: Scope;
  };
}
