/**
 * Interactive API reference at /docs: Swagger UI served from this Worker's
 * own static assets (vendored at install time), so it works offline and
 * under the strict Content-Security-Policy (no inline script).
 */
import { createRouter } from '../http/router';

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Lorekeeper API reference</title>
  <link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui" data-spec-url="/api/openapi.json"></div>
  <script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script>
  <script src="/docs-init.js"></script>
</body>
</html>`;

export const docsRoutes = createRouter();

docsRoutes.get('/docs', (c) => c.html(PAGE));
