// Builds the browser client (web/) into public/: index.html and hashed files in public/app.
// Old hashed files are removed first; the rest of public/ (_headers, API docs) is left alone.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = new URL('..', import.meta.url);
rmSync(new URL('public/app', root), { recursive: true, force: true });
rmSync(new URL('public/index.html', root), { force: true });
await build({ configFile: fileURLToPath(new URL('web/vite.config.ts', root)), logLevel: process.argv.includes('--quiet') ? 'warn' : 'info', build: { watch: process.argv.includes('--watch') ? {} : null } });
