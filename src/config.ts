/**
 * Typed view of the Worker's vars and secrets, with defaults for local runs.
 * The one reader of every limit and setting: HTTP requests, Durable Objects,
 * queue consumers and scripts all call it (cheap: plain object reads).
 */

/** Used only outside production when no JWT_SECRET secret is set, so `npm run dev` works offline. */
export const DEV_JWT_SECRET = 'lorekeeper-local-development-secret-not-for-production';

export interface Config {
  environment: 'development' | 'production' | 'test';
  jwtSecret: string | null;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  maxBodyBytes: number;
  corsOrigins: string[];
  rateLimit: {
    perIpPerMinute: number; perUserPerMinute: number; authPerIpPerMinute: number;
    /** Expensive calls, per user: content checks and rules searches. */
    rulesCheckPerMinute: number; rulesSearchPerMinute: number;
    /** WebSocket upgrades per client IP (refused upgrades included). */
    socketUpgradesPerIpPerMinute: number;
    /** Failed sign-ins: per account and client IP, and (slower) per account from anywhere. */
    loginFailuresPerAccountIp: number; loginFailuresPerAccountPerHour: number;
  };
  /** Live tables: per campaign, and across the whole deployment. */
  maxLiveSessionsPerCampaign: number;
  maxLiveTables: number;
  /** Maintenance: a live table with no event for this long is ended (flushed first). */
  abandonedTableHours: number;
  /** Maintenance: search analytics older than this are deleted. */
  searchLogDays: number;
  /** An ended table's room keeps its copy of the log this long (D1 keeps it all), then its storage is deleted. */
  endedTableDays: number;
  /** Nightly backups: the age recipient they are encrypted to (off when null), and how many are kept. */
  backup: { recipient: string | null; keepDaily: number; keepMonthly: number };
  /** The seeded demo GM's sign-in, shown on the web client's sign-in page in development only (`DEMO_SIGN_IN`, "email password"). */
  demoSignIn: { email: string; password: string } | null;
  /** The narrator's model: Workers AI when bound, else an OpenAI-compatible endpoint when set, else the scripted narrator. */
  narrator: {
    baseUrl: string | null; model: string; apiKey: string | null; workersAiModel: string | null;
    /** The scripted narrator's pace per word, so its words arrive as a stream would (0 in a hurry). */
    scriptedDelayMs: number;
    /** Narrations a table may start per minute (each is a model call). */
    perMinute: number;
    /** Model tokens (in + out) a campaign and a user may spend per UTC day; the scripted narrator costs nothing. */
    dailyTokensPerCampaign: number;
    dailyTokensPerUser: number;
    /** The same per calendar month (UTC). */
    monthlyTokensPerCampaign: number;
    monthlyTokensPerUser: number;
    /** Model calls (narrations, answers, generators, judgements, speech) one user may start per minute. */
    callsPerMinutePerUser: number;
    /** Speech synthesis price for the usage view (USD per thousand characters; default: Workers AI Aura 2). */
    speechUsdPerThousandChars: number;
    /** An OpenAI-compatible `/v1/audio/speech` endpoint for voices where Workers AI is not bound (e.g. a local TTS server). */
    speechBaseUrl: string | null;
    speechModel: string;
    /** For the estimated cost in the usage view (USD per million tokens; defaults: Workers AI's Llama 3.3 70B). */
    usdPerMillionInput: number;
    usdPerMillionOutput: number;
  };
  /** Largest rulebook PDF accepted. */
  maxUploadBytes: number;
  /**
   * Live table: sockets per table and per user at one table, and frames per
   * second per socket. Spectators may fill only three quarters of the seats
   * (the rest stay for members), and the GM may always take their own
   * per-user share beyond a full table.
   */
  maxSocketsPerTable: number;
  maxSocketsPerUser: number;
  socketMessagesPerSecond: number;
}

function price(value: string | undefined, fallback: number): number {
  const n = Number.parseFloat(value ?? '');
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

function int(value: string | undefined, fallback: number): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

function demoSignIn(value: string | undefined): Config['demoSignIn'] {
  const [email, password] = (value ?? '').trim().split(/\s+/);
  return email && password ? { email, password } : null;
}

export function readConfig(env: Env): Config {
  const declared: string = env.ENVIRONMENT;
  const environment = declared === 'production' ? 'production' : declared === 'test' ? 'test' : 'development';
  const secret = env.JWT_SECRET && env.JWT_SECRET.length >= 32 ? env.JWT_SECRET : null;
  return {
    environment,
    jwtSecret: secret ?? (environment === 'production' ? null : DEV_JWT_SECRET),
    accessTokenTtlSeconds: int(env.ACCESS_TOKEN_TTL_SECONDS, 900),
    refreshTokenTtlSeconds: int(env.REFRESH_TOKEN_TTL_SECONDS, 30 * 24 * 3600),
    maxBodyBytes: int(env.MAX_BODY_BYTES, 1024 * 1024),
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    rateLimit: {
      perIpPerMinute: int(env.RATE_LIMIT_IP_PER_MINUTE, 600),
      perUserPerMinute: int(env.RATE_LIMIT_USER_PER_MINUTE, 600),
      authPerIpPerMinute: int(env.RATE_LIMIT_AUTH_PER_MINUTE, 20),
      rulesCheckPerMinute: int(env.RATE_LIMIT_RULES_CHECK_PER_MINUTE, 20),
      rulesSearchPerMinute: int(env.RATE_LIMIT_RULES_SEARCH_PER_MINUTE, 120),
      socketUpgradesPerIpPerMinute: int(env.RATE_LIMIT_SOCKET_UPGRADES_PER_MINUTE, 60),
      loginFailuresPerAccountIp: int(env.LOGIN_FAILURES_PER_ACCOUNT_IP, 5),
      loginFailuresPerAccountPerHour: int(env.LOGIN_FAILURES_PER_ACCOUNT_PER_HOUR, 30),
    },
    maxLiveSessionsPerCampaign: int(env.MAX_LIVE_SESSIONS_PER_CAMPAIGN, 2),
    maxLiveTables: int(env.MAX_LIVE_TABLES, 1000),
    abandonedTableHours: int(env.ABANDONED_TABLE_HOURS, 12),
    searchLogDays: int(env.SEARCH_LOG_DAYS, 90),
    endedTableDays: int(env.ENDED_TABLE_DAYS, 7),
    demoSignIn: environment === 'development' ? demoSignIn(env.DEMO_SIGN_IN) : null,
    backup: { recipient: env.BACKUP_RECIPIENT?.trim() || null, keepDaily: int(env.BACKUP_KEEP_DAILY, 30), keepMonthly: int(env.BACKUP_KEEP_MONTHLY, 12) },
    narrator: {
      baseUrl: env.NARRATOR_BASE_URL?.trim() || null, model: env.NARRATOR_MODEL?.trim() || 'llama3.1',
      apiKey: env.NARRATOR_API_KEY?.trim() || null, workersAiModel: env.WORKERS_AI_MODEL?.trim() || null,
      perMinute: int(env.NARRATIONS_PER_MINUTE, 6),
      dailyTokensPerCampaign: int(env.AI_DAILY_TOKENS_PER_CAMPAIGN, 200_000),
      dailyTokensPerUser: int(env.AI_DAILY_TOKENS_PER_USER, 100_000),
      monthlyTokensPerCampaign: int(env.AI_MONTHLY_TOKENS_PER_CAMPAIGN, 3_000_000),
      monthlyTokensPerUser: int(env.AI_MONTHLY_TOKENS_PER_USER, 1_500_000),
      callsPerMinutePerUser: int(env.AI_CALLS_PER_MINUTE_PER_USER, 20),
      speechUsdPerThousandChars: price(env.SPEECH_USD_PER_THOUSAND_CHARS, 0.03),
      speechBaseUrl: env.SPEECH_BASE_URL?.trim() || null, speechModel: env.SPEECH_MODEL?.trim() || 'tts-1',
      usdPerMillionInput: price(env.AI_USD_PER_MILLION_INPUT, 0.29),
      usdPerMillionOutput: price(env.AI_USD_PER_MILLION_OUTPUT, 2.25),
      scriptedDelayMs: Math.min(1000, Number.parseInt(env.NARRATOR_SCRIPTED_DELAY_MS ?? '', 10) >= 0 ? Number.parseInt(env.NARRATOR_SCRIPTED_DELAY_MS!, 10) : 40),
    },
    maxUploadBytes: int(env.MAX_UPLOAD_BYTES, 200 * 1024 * 1024),
    maxSocketsPerTable: int(env.MAX_SOCKETS_PER_TABLE, 64),
    maxSocketsPerUser: int(env.MAX_SOCKETS_PER_USER, 4),
    socketMessagesPerSecond: int(env.SOCKET_MESSAGES_PER_SECOND, 10),
  };
}
