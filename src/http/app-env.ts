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
    requestId: string;
    config: Config;
    db: Database;
    principal?: Principal;
  };
}
