/** Worker entry: the HTTP app and the Durable Object classes wrangler.toml binds. */
import { createApp } from './app';

export { RateLimiter } from './ops/rate-limit/rate-limiter-object';
export { GameSession } from './session/game-session';

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
