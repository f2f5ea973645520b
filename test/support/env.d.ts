interface TestBindings {
  TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
  /** test/fixtures/*.pdf, base64 by file name. */
  TEST_PDFS: Record<string, string>;
}
declare namespace Cloudflare {
  interface Env extends TestBindings {}
}
interface Env extends TestBindings {}
