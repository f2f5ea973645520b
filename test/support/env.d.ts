interface TestBindings {
  TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
  /** test/fixtures/*.pdf, base64 by file name. */
  TEST_PDFS: Record<string, string>;
  /** The hostile-input property test: requests per operation, and the seed. */
  HOSTILE_RUNS?: string;
  HOSTILE_SEED?: string;
  HOSTILE_VERBOSE?: string;
  /** The private half of the run's backup key pair (BACKUP_RECIPIENT is the public half). */
  BACKUP_TEST_IDENTITY: string;
}
declare namespace Cloudflare {
  interface Env extends TestBindings {}
}
interface Env extends TestBindings {}
