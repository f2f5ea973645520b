import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes reviewed SQL into migrations/, which wrangler applies.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './migrations',
});
