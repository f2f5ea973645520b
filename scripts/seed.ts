/**
 * Seeds the local D1 database with a demo campaign, a demo GM and two demo
 * players (credentials in README). Idempotent: fixed ids and INSERT OR IGNORE,
 * so `npm run dev` can run it every time.
 *
 *   tsx scripts/seed.ts --local          # the Miniflare database of `npm run dev`
 *   tsx scripts/seed.ts --local --persist-to <dir>   # another local state (the browser tests)
 *   tsx scripts/seed.ts --print          # only print the SQL
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPassword } from '../src/auth/password';
import {
  campaigns, characters, credentials, invites, locations, memberships, notes, npcRelationships, npcs, plotThreads, revisions, users,
} from '../src/db/schema';
import { CharacterSheetSchema } from '../src/game/character-sheet';
import { LocationDataSchema, LocationGmOnlySchema, NpcDataSchema, NpcGmOnlySchema, PlotThreadDataSchema, PlotThreadGmOnlySchema } from '../src/game/lore';
import { insertOrIgnore } from './lib/sql';

export const DEMO_PASSWORD = 'lorekeeper-demo-2026';
const at = '2026-01-01T00:00:00.000Z';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const GM = id(1), ALICE = id(2), BOB = id(3), CAMPAIGN = id(10);

async function statements(): Promise<string[]> {
  const sql: string[] = [];
  for (const [userId, email, displayName] of [[GM, 'gm@lorekeeper.test', 'Demo GM'], [ALICE, 'alice@lorekeeper.test', 'Alice'], [BOB, 'bob@lorekeeper.test', 'Bob']] as const) {
    sql.push(insertOrIgnore(users, { id: userId, email, displayName, createdAt: at }));
    sql.push(insertOrIgnore(credentials, { userId, passwordHash: await hashPassword(DEMO_PASSWORD), updatedAt: at }));
  }

  const versioned = <T extends { id: string; version: number }>(table: Parameters<typeof insertOrIgnore>[0], type: string, row: T, revisionId: number) => {
    sql.push(insertOrIgnore(table, row as never));
    sql.push(insertOrIgnore(revisions, {
      id: id(revisionId), campaignId: CAMPAIGN, entityType: type, entityId: row.id, version: row.version, action: 'create', snapshot: row, authorId: GM, createdAt: at,
    }));
  };
  const stamps = { createdAt: at, updatedAt: at, deletedAt: null, version: 1 };

  versioned(campaigns, 'campaign', {
    id: CAMPAIGN, name: 'The Sunless Citadel (demo)', gameSystem: 'dnd5e', setting: 'Oakhurst and the ravine',
    description: 'A ruined fortress swallowed by the earth, a missing adventuring party, and goblins selling magic apples.',
    status: 'active' as const, createdBy: GM, createdAt: at, updatedAt: at, version: 1,
  }, 100);
  sql.push(insertOrIgnore(memberships, { campaignId: CAMPAIGN, userId: GM, role: 'gm', joinedAt: at }));
  sql.push(insertOrIgnore(memberships, { campaignId: CAMPAIGN, userId: ALICE, role: 'player', joinedAt: at }));
  sql.push(insertOrIgnore(memberships, { campaignId: CAMPAIGN, userId: BOB, role: 'player', joinedAt: at }));
  sql.push(insertOrIgnore(invites, { id: id(20), campaignId: CAMPAIGN, code: 'DEMO-TABLE', role: 'player', maxUses: 100, uses: 0, expiresAt: '2099-01-01T00:00:00.000Z', createdBy: GM, createdAt: at }));

  const tamsin = CharacterSheetSchema.parse({
    class: 'Wizard', race: 'High Elf', background: 'Sage', level: 3, proficiencyBonus: 2,
    abilities: { str: 8, dex: 14, con: 13, int: 17, wis: 12, cha: 10 }, armorClass: 12, hp: { max: 17, current: 17 },
    hitDice: { die: 'd6', total: 3, used: 0 }, savingThrows: { int: true, wis: true }, skills: { arcana: 'proficient', history: 'proficient', investigation: 'proficient' },
    spellcasting: { ability: 'int', spells: [{ name: 'Fire Bolt', level: 0 }, { name: 'Magic Missile', level: 1, prepared: true }, { name: 'Shield', level: 1, prepared: true }, { name: 'Misty Step', level: 2, prepared: true }], slots: { '1': { max: 4, used: 0 }, '2': { max: 2, used: 0 } } },
    inventory: [{ name: 'Spellbook', quantity: 1 }, { name: 'Quarterstaff', quantity: 1, equipped: true }],
  });
  const brakka = CharacterSheetSchema.parse({
    class: 'Fighter', race: 'Half-Orc', background: 'Soldier', level: 3,
    abilities: { str: 17, dex: 12, con: 15, int: 8, wis: 11, cha: 10 }, armorClass: 18, hp: { max: 31, current: 31 },
    hitDice: { die: 'd10', total: 3, used: 0 }, savingThrows: { str: true, con: true }, skills: { athletics: 'proficient', intimidation: 'proficient', perception: 'proficient' },
    inventory: [{ name: 'Chain mail', equipped: true }, { name: 'Longsword', equipped: true }, { name: 'Shield', equipped: true }],
  });
  versioned(characters, 'character', { id: id(30), campaignId: CAMPAIGN, ownerUserId: ALICE, name: 'Tamsin Vale', sheet: tamsin, ...stamps }, 101);
  versioned(characters, 'character', { id: id(31), campaignId: CAMPAIGN, ownerUserId: BOB, name: 'Brakka', sheet: brakka, ...stamps }, 102);

  versioned(npcs, 'npc', {
    id: id(40), campaignId: CAMPAIGN, name: 'Meepo', visibility: 'party' as const, createdBy: GM, ...stamps,
    data: NpcDataSchema.parse({ role: 'Kobold keeper of dragons', description: 'A small, sniffling kobold who misses his dragon.', personality: { traits: ['eager to please', 'cowardly'], voice: 'High, squeaky, talks about himself in the third person' } }),
    gmOnly: NpcGmOnlySchema.parse({ motivation: 'Get Calcryx the white wyrmling back', secrets: ['Knows a back way past the goblin guards'] }),
  }, 103);
  versioned(npcs, 'npc', {
    id: id(41), campaignId: CAMPAIGN, name: 'Belak the Outcast', visibility: 'gm' as const, createdBy: GM, ...stamps,
    data: NpcDataSchema.parse({ role: 'Druid', personality: { voice: 'Soft, patient, chilling' } }),
    gmOnly: NpcGmOnlySchema.parse({ motivation: 'Nurture the Gulthias Tree', secrets: ['Sells the twig blight fruit through the goblins'] }),
  }, 104);
  versioned(locations, 'location', {
    id: id(50), campaignId: CAMPAIGN, name: 'Oakhurst', visibility: 'party' as const, createdBy: GM, ...stamps,
    data: LocationDataSchema.parse({ kind: 'village', description: 'A farming village on the Old Road; its people worry about the missing adventurers.' }),
    gmOnly: LocationGmOnlySchema.parse({}),
  }, 105);
  versioned(plotThreads, 'plot_thread', {
    id: id(60), campaignId: CAMPAIGN, name: 'The lost adventurers', visibility: 'party' as const, createdBy: GM, ...stamps,
    data: PlotThreadDataSchema.parse({ status: 'active', summary: "Kerowyn Hucrele's children went into the citadel a month ago." }),
    gmOnly: PlotThreadGmOnlySchema.parse({ nextSteps: ['Sharwyn is now a vampire spawn', 'Talgen is held by the goblins'] }),
  }, 106);
  versioned(npcRelationships, 'relationship', { id: id(70), campaignId: CAMPAIGN, npcId: id(40), characterId: id(30), score: 35, summary: 'Tamsin shared her rations with him', ...stamps }, 107);
  versioned(notes, 'note', {
    id: id(80), campaignId: CAMPAIGN, authorId: GM, title: 'Session 0 recap', body: 'The party met at the Ol\' Boar Inn and agreed to find the Hucrele siblings.',
    category: 'recap', visibility: 'party' as const, recipientUserId: null, ...stamps,
  }, 108);
  // A session ready to start: the demo GM opens the table from the campaign page. Added again whenever the
  // campaign has none scheduled or live (so each `npm run dev` after an ended session offers a new one).
  sql.push(`INSERT INTO game_sessions (id, campaign_id, title, status, scheduled_for, created_by, created_at, updated_at)
SELECT '${crypto.randomUUID()}', '${CAMPAIGN}', 'Into the ravine', 'scheduled', '${new Date(Date.now() + 86_400_000).toISOString()}', '${GM}', '${at}', '${at}'
WHERE NOT EXISTS (SELECT 1 FROM game_sessions WHERE campaign_id = '${CAMPAIGN}' AND status IN ('scheduled', 'live'));`);
  return sql;
}

async function main() {
  const sql = (await statements()).join('\n') + '\n';
  if (process.argv.includes('--print')) {
    process.stdout.write(sql);
    return;
  }
  const dir = join(process.cwd(), '.wrangler');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'seed.sql');
  writeFileSync(file, sql);
  const target = process.argv.includes('--remote') ? '--remote' : '--local';
  const persist = process.argv.indexOf('--persist-to');
  const where = persist > 0 ? ['--persist-to', process.argv[persist + 1]!] : [];
  execFileSync('npx', ['wrangler', 'd1', 'execute', 'DB', target, ...where, '--file', file, '--yes'], { stdio: process.argv.includes('--quiet') ? 'ignore' : 'inherit' });
  console.log(`Seeded the demo campaign (${target.slice(2)}). Sign in as gm@lorekeeper.test / ${DEMO_PASSWORD}`);
}

await main();
