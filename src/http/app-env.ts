import type { Config } from '../config';
import type { Database } from '../db/client';

/** The authenticated caller, set by the authenticate middleware. */
export interface Principal {
  userId: string;
  email: string;
  displayName: string;
  /** How the caller proved who they are. */
  via: 'access-token' | 'api-key';
  /** The sign-in (refresh-token family) an access token belongs to. */
  sessionId?: string;
}

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
    principal?: Principal;
  };
}
