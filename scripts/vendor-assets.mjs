// Copies Swagger UI's browser files from node_modules into public/vendor so
// /docs is served by the Worker's static assets, with no CDN (works offline).
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'node_modules', 'swagger-ui-dist');
const target = join(root, 'public', 'vendor', 'swagger-ui');
if (!existsSync(source)) {
  console.warn('swagger-ui-dist is not installed; /docs will have no UI');
} else {
  mkdirSync(target, { recursive: true });
  for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js']) cpSync(join(source, file), join(target, file));
  console.log('vendored Swagger UI into public/vendor/swagger-ui');
}
