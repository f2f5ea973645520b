/**
 * Error reporting with Sentry (`@sentry/cloudflare`): the options every
 * entry point uses (fetch/queue through `withSentry`, the Durable Objects
 * through `instrumentDurableObjectWithSentry`), and the scrubbing that keeps
 * personal data out of reports: no request bodies, cookies or credentials,
 * no user email or address, and emails, tokens, API keys and table chat
 * replaced wherever they appear in messages, exceptions and breadcrumbs.
 * Without `SENTRY_DSN` (the default, and locally) nothing is sent.
 */
import { instrumentDurableObjectWithSentry, withSentry, type Breadcrumb, type CloudflareOptions, type ErrorEvent } from '@sentry/cloudflare';

const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g;
const API_KEY = /\blk_[A-Za-z0-9_-]{20,}/g;
const JWT = /\beyJ[\w-]+\.[\w-]+\.[\w-]+/g;
const BEARER = /\b(Bearer)\s+[^\s,;]+/gi;
const TICKET = /((?:^|[?&])(?:ticket|sig|token|code)=)[^&#\s]+/gi;
/** Keys whose values are player-written text or secrets, wherever they sit in extra data. */
const PRIVATE_KEYS = /^(text|body|password|token|accessToken|refreshToken|key|secret|email|authorization|cookie|x-api-key|sheet|notes)$/i;

/** Replaces personal data and secrets in a string. */
export function scrubText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(API_KEY, '[api-key]').replace(JWT, '[token]').replace(BEARER, '$1 [token]').replace(TICKET, '$1[redacted]');
}

function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, PRIVATE_KEYS.test(k) ? '[redacted]' : scrubValue(v, depth + 1)]));
}

/** `beforeSend`: the event without personal data (exported for tests). */
export function scrubEvent<T extends ErrorEvent>(event: T): T {
  if (event.request) {
    const { headers, url, query_string: query } = event.request;
    event.request = {
      method: event.request.method,
      url: url ? scrubText(url) : undefined,
      query_string: typeof query === 'string' ? scrubText(query) : undefined,
      headers: headers ? Object.fromEntries(Object.entries(headers).filter(([k]) => !PRIVATE_KEYS.test(k) && k.toLowerCase() !== 'cf-connecting-ip')) : undefined,
    };
  }
  if (event.user) event.user = event.user.id ? { id: event.user.id } : undefined;
  if (event.message) event.message = scrubText(event.message);
  for (const ex of event.exception?.values ?? []) if (ex.value) ex.value = scrubText(ex.value);
  if (event.breadcrumbs) event.breadcrumbs = event.breadcrumbs.map(scrubBreadcrumb);
  if (event.extra) event.extra = scrubValue(event.extra) as Record<string, unknown>;
  if (event.contexts) event.contexts = scrubValue(event.contexts) as typeof event.contexts;
  return event;
}

export function scrubBreadcrumb(crumb: Breadcrumb): Breadcrumb {
  return { ...crumb, message: crumb.message ? scrubText(crumb.message) : crumb.message, data: crumb.data ? scrubValue(crumb.data) as Record<string, unknown> : crumb.data };
}

/** Sentry options from the environment; `dsn` undefined turns reporting off. */
export function sentryOptions(env: { SENTRY_DSN?: string; ENVIRONMENT?: string; RELEASE?: string }): CloudflareOptions {
  return {
    dsn: env.SENTRY_DSN || undefined,
    environment: env.ENVIRONMENT ?? 'development',
    release: env.RELEASE || undefined,
    // Errors only: traces would put every request's URL and timing into Sentry, which Workers Observability already has.
    tracesSampleRate: 0,
    beforeSend: scrubEvent,
    beforeBreadcrumb: scrubBreadcrumb,
  };
}

/**
 * A Durable Object class reported to Sentry where `SENTRY_DSN` is set, and left bare where it is not. Without a
 * DSN the SDK's wrapper still sets up a client and a span around every call — every WebSocket message a table
 * receives and every rate-limit check — for nothing (measured in bench/fanout; see ARCHITECTURE.md).
 */
export function reportedDurableObject<C extends new (ctx: DurableObjectState, env: Env) => object>(cls: C): C {
  const instrumented = instrumentDurableObjectWithSentry((env: Env) => sentryOptions(env), cls as never) as unknown as C;
  return new Proxy(cls, {
    construct: (bare, args: [DurableObjectState, Env], newTarget) =>
      (args[1]?.SENTRY_DSN ? Reflect.construct(instrumented, args) : Reflect.construct(bare, args, newTarget)) as object,
  });
}

/**
 * A Worker's handlers reported to Sentry where `SENTRY_DSN` is set, and bare where it is not: the SDK sets a client
 * up for every request, batch and cron run, which without a DSN sends nothing.
 */
export function reportedWorker<Q>(handler: ExportedHandler<Env, Q>): ExportedHandler<Env, Q> {
  const reported = withSentry((env: Env) => sentryOptions(env), handler);
  const pick = (env: Env) => (env.SENTRY_DSN ? reported : handler);
  return {
    ...(handler.fetch && { fetch: (request, env, ctx) => pick(env).fetch!(request, env, ctx) }),
    ...(handler.queue && { queue: (batch, env, ctx) => pick(env).queue!(batch, env, ctx) }),
    ...(handler.scheduled && { scheduled: (controller, env, ctx) => pick(env).scheduled!(controller, env, ctx) }),
  };
}
