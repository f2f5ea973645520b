/**
 * Makes a backup key pair (X25519; src/ops/backup/archive.ts). The private key (identity) is written
 * to a file only you keep — it opens every backup, and nothing else can; the
 * public key (recipient) is what the Worker encrypts to.
 *
 *   npm run backup:key                       # writes .backup-identity.txt, prints the recipient
 *   npm run backup:key -- --dev              # also sets BACKUP_RECIPIENT in .dev.vars (for npm run dev)
 *   npm run backup:key -- --out ~/lorekeeper-backup.identity.txt
 *
 * Production: `npx wrangler secret put BACKUP_RECIPIENT --env production` and paste the
 * recipient; keep the identity file offline (a password manager, a safe): losing it loses the backups.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { generateKeyPair } from '../src/ops/backup/archive';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const out = arg('out') ?? '.backup-identity.txt';
if (existsSync(out)) {
  console.error(`${out} exists; it may be the only key to existing backups. Move it away first, or choose --out.`);
  process.exit(2);
}
const { identity, recipient } = await generateKeyPair();
writeFileSync(out, `# Lorekeeper backup key, created ${new Date().toISOString()}\n# public key: ${recipient}\n${identity}\n`, { mode: 0o600 });
console.log(`Private key (identity) written to ${out}: keep it safe and out of the repository.`);
console.log(`Public key (recipient): ${recipient}`);
if (process.argv.includes('--dev')) {
  const vars = existsSync('.dev.vars') ? readFileSync('.dev.vars', 'utf8') : '';
  const kept = vars.split('\n').filter((line) => line.trim() && !line.startsWith('BACKUP_RECIPIENT='));
  writeFileSync('.dev.vars', [...kept, `BACKUP_RECIPIENT=${recipient}`, ''].join('\n'));
  console.log('BACKUP_RECIPIENT set in .dev.vars: restart npm run dev to pick it up.');
} else {
  console.log('Set it with: npx wrangler secret put BACKUP_RECIPIENT --env production (or BACKUP_RECIPIENT=… in .dev.vars locally)');
}
