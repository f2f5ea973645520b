/**
 * The API Worker's Hono application: global middleware, route modules,
 * OpenAPI document and the single error boundary.
 */
import { signedIn } from './http/middleware/signed-in';
import { readConfig } from './config';
import { createDatabase } from './db/client';
import { onError, onNotFound } from './http/error-handler';
import { limitBody, type StreamedRoute } from './http/middleware/body-limit';
import { guardJsonDepth } from './http/middleware/json-guard';
import { attachScope } from './http/middleware/scope';
import { corsFromConfig } from './http/middleware/cors';
import { clientIp, rateLimit } from './http/middleware/rate-limit';
import { assignRequestId } from './http/middleware/request-id';
import { requestLog } from './http/middleware/request-log';
import { securityHeaders } from './http/security-headers';
import { createRouter } from './http/router';
import { adminRoutes } from './routes/admin';
import { aiUsageRoutes } from './routes/ai-usage';
import { narratorRoutes } from './routes/narrator';
import { generatorRoutes } from './routes/generators';
import { speechRoutes } from './routes/speech';
import { factRoutes } from './routes/facts';
import { playerProfileRoutes } from './routes/player-profiles';
import { authRoutes } from './routes/auth';
import { campaignRoutes } from './routes/campaigns';
import { characterRoutes } from './routes/characters';
import { clientConfigRoutes } from './routes/client-config';
import { docsRoutes } from './routes/docs';
import { healthRoutes } from './routes/health';
import { loreRoutes } from './routes/lore';
import { memberRoutes } from './routes/members';
import { macroRoutes } from './routes/macros';
import { noteRoutes } from './routes/notes';
import { relationshipRoutes } from './routes/relationships';
import { revisionRoutes } from './routes/revisions';
import { mountSessionSocket, socketRouteDoc } from './routes/session-socket';
import { rulebookRoutes } from './routes/rulebooks';
import { rulesRoutes } from './routes/rules';
import { rulesCheckRoutes } from './routes/rules-check';
import { safetyRoutes } from './routes/safety';
import { sessionRoutes } from './routes/sessions';
import { MCP_PATH, mcpCors, mountMcp } from './mcp/mount';

/** Everything under these needs a signed-in caller; /api/auth/{register,login,refresh} and signed PDF links do not. */
// A trailing /* also matches the bare prefix (/api/me, /api/campaigns) in Hono.
const SIGNED_IN_PATHS = ['/api/me/*', '/api/auth/logout', '/api/campaigns/*', '/api/sessions/*', '/api/invites/*', '/api/admin/*'];

/** The only bodies exempt from the JSON body limit: rulebook PDFs, streamed to R2 under MAX_UPLOAD_BYTES. */
const STREAMED_UPLOADS: StreamedRoute[] = [{ method: 'POST', path: /^\/api\/campaigns\/[^/]+\/rulebooks$/, mediaType: 'application/pdf' }];

export function createApp() {
  const app = createRouter();

  // Before any middleware: the WebSocket upgrade response must pass through untouched.
  mountSessionSocket(app);

  app.use('*', assignRequestId());
  app.use('*', async (c, next) => {
    c.set('config', readConfig(c.env));
    c.set('db', createDatabase(c.env.DB));
    await next();
  });
  app.use('*', requestLog());
  app.use('*', securityHeaders());
  app.use('/api/*', corsFromConfig());
  app.use(MCP_PATH, mcpCors());
  for (const door of ['/api/*', MCP_PATH]) app.use(door, rateLimit('ip', (c) => `ip:${clientIp(c)}`, (cfg) => cfg.rateLimit.perIpPerMinute));
  app.use('/api/*', limitBody(STREAMED_UPLOADS));
  app.use(MCP_PATH, limitBody());

  // Every signed-in route, exactly once per request: resolve the caller, refuse anonymous requests,
  // take from the per-user bucket. (Registered here, not per router: a router's `use` would apply
  // to every router mounted on the same prefix and run the chain once per router.)
  for (const path of [...SIGNED_IN_PATHS, MCP_PATH]) app.use(path, ...signedIn());
  // Reads the (size-limited) body, so it runs after the caller is known and charged.
  app.use('/api/*', guardJsonDepth());
  app.use(MCP_PATH, guardJsonDepth());
  // What every route hands to the services: the caller, the database, config, request id, client address.
  app.use('*', attachScope());

  // The MCP door: the same services as the REST routes, as tools (src/mcp).
  mountMcp(app);
  app.route('/', healthRoutes);
  app.route('/', docsRoutes);
  app.route('/api', clientConfigRoutes);
  app.route('/api', authRoutes);
  app.route('/api', campaignRoutes);
  app.route('/api', memberRoutes);
  app.route('/api', characterRoutes);
  app.route('/api', loreRoutes);
  app.route('/api', relationshipRoutes);
  app.route('/api', noteRoutes);
  app.route('/api', revisionRoutes);
  app.route('/api', sessionRoutes);
  app.route('/api', macroRoutes);
  app.route('/api', safetyRoutes);
  app.route('/api', aiUsageRoutes);
  app.route('/api', narratorRoutes);
  app.route('/api', generatorRoutes);
  app.route('/api', speechRoutes);
  app.route('/api', factRoutes);
  app.route('/api', playerProfileRoutes);
  app.route('/api', rulebookRoutes);
  app.route('/api', rulesRoutes);
  app.route('/api', rulesCheckRoutes);
  app.route('/api', adminRoutes);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An access token from /api/auth/login, or an API key (lk_…) from /api/me/api-keys',
  });
  app.openAPIRegistry.registerPath(socketRouteDoc);
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Lorekeeper API',
      version: '0.1.0',
      description: 'Campaigns, characters, NPCs, notes and their history for an AI-assisted tabletop RPG platform. Errors are RFC 9457 problem details.',
    },
    tags: [
      { name: 'Accounts' }, { name: 'Campaigns' }, { name: 'Members' }, { name: 'Characters' },
      { name: 'NPCs' }, { name: 'Locations' }, { name: 'Plot threads' }, { name: 'Notes' }, { name: 'History' }, { name: 'Sessions' }, { name: 'Table' }, { name: 'Rulebooks' }, { name: 'Operations' },
    ],
  });

  app.onError(onError);
  app.notFound(onNotFound);
  return app;
}
