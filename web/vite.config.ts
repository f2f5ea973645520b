/**
 * Builds the browser client into the Worker's static assets: `public/index.html`
 * (the SPA shell, served for every unknown navigation by wrangler's
 * single-page-application fallback) and hashed files under `public/app/`.
 * No framework plugin: Preact's automatic JSX runtime is all the transform needs.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: new URL('../public', import.meta.url).pathname,
    // public/ also holds _headers, the API docs' files and vendored Swagger UI.
    emptyOutDir: false,
    assetsDir: 'app',
    target: 'es2022',
    sourcemap: true,
    // No inline scripts (the CSP forbids them): the module preload polyfill would be one.
    modulePreload: { polyfill: false },
  },
});
