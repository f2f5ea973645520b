/**
 * Makes an account a platform operator (or takes it back): operators see
 * /api/admin/status and the audit log. Deliberately outside the API: it needs
 * access to the database through wrangler, not a token.
 *
 *   npm run operator -- --email ops@example.com [--revoke] [--remote]   (default: the local database of npm run dev)
 */
import { execFileSync } from 'node:child_process';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const email = arg('email')?.trim().toLowerCase();
// A strict shape: the address goes into SQL text (wrangler d1 execute binds no parameters).
if (!email || !/^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$/.test(email)) {
  console.error('Usage: npm run operator -- --email someone@example.com [--revoke] [--remote]');
  process.exit(2);
}
const value = process.argv.includes('--revoke') ? 0 : 1;
const target = process.argv.includes('--remote') ? ['--remote', '--env', 'production'] : ['--local'];
const sql = `UPDATE users SET is_operator = ${value} WHERE email = '${email.replace(/'/g, "''")}'; SELECT email, is_operator FROM users WHERE email = '${email.replace(/'/g, "''")}';`;
execFileSync('npx', ['wrangler', 'd1', 'execute', 'DB', ...target, '--command', sql, '--yes'], { stdio: 'inherit' });
console.log(`${email} is ${value ? 'now' : 'no longer'} an operator (an empty result above means there is no such account).`);
