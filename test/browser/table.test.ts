/**
 * The web client end to end, in Debian's Chromium against the real Worker
 * (`wrangler dev`, seeded like `npm run dev`): the demo GM and a player sign
 * in from two browser contexts and play at one table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWranglerDev, type DevServer } from '../../bench/lib/wrangler-dev';
import { collectErrors, expectAccessible, freePort, launch, screenshot } from './support/browser';

const PASSWORD = 'lorekeeper-demo-2026';
let server: DevServer;
let browser: Browser;
let gmContext: BrowserContext;
let playerContext: BrowserContext;
let gm: Page;
let player: Page;
const errors: string[] = [];

async function signIn(page: Page, email: string) {
  await page.goto(`${server.url}/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Your campaigns' }).waitFor();
}

const log = (page: Page) => page.getByRole('log');
const send = async (page: Page, text: string) => {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: /^(Send|Whisper)$/ }).click();
};

beforeAll(async () => {
  // The scripted narrator speaks a word every 120 ms: slow enough to watch the stream and stop it.
  server = await startWranglerDev(await freePort(), { NARRATOR_SCRIPTED_DELAY_MS: '120' }, { seed: true });
  browser = await launch();
  gmContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  playerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  gm = await gmContext.newPage();
  player = await playerContext.newPage();
  collectErrors(gm, errors);
  collectErrors(player, errors);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.stop();
});

describe('the web client', () => {
  it('signs in as the demo GM with the credentials the sign-in page offers in development', async () => {
    await gm.goto(`${server.url}/`);
    await gm.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expect.poll(() => gm.getByText('Demo (development only)').isVisible()).toBe(true);
    await expectAccessible(gm, 'sign-in');
    await screenshot(gm, '01-sign-in');
    await gm.getByRole('button', { name: 'Fill in the demo GM' }).click();
    await gm.getByRole('button', { name: 'Sign in', exact: true }).click();
    await gm.getByRole('heading', { name: 'Your campaigns' }).waitFor();
    await expectAccessible(gm, 'campaigns');
    await signIn(player, 'alice@lorekeeper.test');
  });

  it('opens the scheduled demo session and both players reach the table', async () => {
    await gm.getByRole('link', { name: 'The Sunless Citadel (demo)' }).click();
    await gm.getByRole('heading', { name: 'Sessions' }).waitFor();
    await expectAccessible(gm, 'campaign');
    await screenshot(gm, '02-campaign');
    await gm.getByRole('button', { name: 'Start “Into the ravine”' }).click();
    await gm.getByText('Connected', { exact: true }).waitFor();

    await player.getByRole('link', { name: 'The Sunless Citadel (demo)' }).click();
    await player.getByRole('link', { name: 'Join the table' }).click();
    await player.getByText('Connected', { exact: true }).waitFor();
    await expect.poll(() => gm.locator('.presence').innerText()).toContain('Alice');
    await expectAccessible(player, 'table (player)');
    await expectAccessible(gm, 'table (GM)');
  });

  it('chats and whispers: everyone sees the chat, only the GM sees the whisper', async () => {
    await send(gm, 'You stand at the edge of the ravine.');
    await expect.poll(() => log(player).innerText()).toContain('You stand at the edge of the ravine.');
    await player.getByLabel('To').selectOption('gm');
    await send(player, 'Tamsin pockets the strange apple.');
    await expect.poll(() => log(gm).innerText()).toContain('Tamsin pockets the strange apple.');
    await expect.poll(() => log(player).innerText()).toContain('whispers to the GM');
    await player.getByLabel('To').selectOption('');
    // The X-card: the table learns it was tapped, never by whom.
    await player.getByRole('button', { name: 'X-card' }).click();
    await expect.poll(() => log(gm).locator('.entry.safety').innerText()).toContain('X-card');
    expect(await log(gm).locator('.entry.safety').innerText()).not.toContain('Alice');
  });

  it('rolls 4d6kh3 and both see the same roll card, with the dropped die marked', async () => {
    await player.getByRole('textbox', { name: 'Roll', exact: true }).fill('4d6kh3');
    await player.getByRole('button', { name: 'Roll', exact: true }).click();
    const card = (page: Page) => page.locator('.roll-card').filter({ hasText: '4d6kh3' }).last();
    await card(gm).waitFor();
    await card(player).waitFor();
    const dice = async (page: Page) => card(page).locator('.die').evaluateAll((els) => els.map((e) => `${e.textContent}:${e.className}`));
    const seen = await dice(player);
    expect(seen).toHaveLength(4);
    expect(seen.filter((d) => d.includes('dropped'))).toHaveLength(1);
    expect(await dice(gm)).toEqual(seen);
    expect(await card(gm).locator('output').innerText()).toBe(await card(player).locator('output').innerText());
    await screenshot(player, '03-roll-card');
  });

  it('runs two rounds of initiative with a monster; the player sees a health band, the GM the numbers', async () => {
    await gm.getByLabel('Name', { exact: true }).fill('Goblin');
    await gm.getByLabel('HP', { exact: true }).fill('7');
    await gm.getByRole('button', { name: 'Add monster' }).click();
    await player.getByRole('button', { name: 'Add Tamsin Vale' }).click();
    await expect.poll(() => gm.locator('.combatant').count()).toBe(2);
    await gm.getByRole('button', { name: 'Start combat' }).click();
    await expect.poll(() => player.locator('.initiative [role=status]').innerText()).toContain('Round 1');

    await gm.getByLabel('Amount for Goblin').fill('3');
    await gm.getByRole('button', { name: 'Damage Goblin' }).click();
    const goblin = (page: Page) => page.locator('.combatant').filter({ hasText: 'Goblin' });
    await expect.poll(() => goblin(gm).innerText()).toContain('4/7 HP');
    await expect.poll(() => goblin(player).innerText()).toContain('Injured');
    expect(await goblin(player).innerText()).not.toMatch(/\d+\/\d+ HP|AC \d/);

    // Whoever's turn it is ends it: the GM for the goblin, the player for Tamsin. Two full rounds.
    for (let turn = 0; turn < 4; turn++) {
      const status = await gm.locator('.initiative [role=status]').innerText();
      const actor = status.includes('Goblin') ? gm : player;
      await actor.getByRole('button', { name: 'End turn' }).click();
      await expect.poll(() => gm.locator('.initiative [role=status]').innerText()).not.toBe(status);
    }
    await expect.poll(() => player.locator('.initiative [role=status]').innerText()).toContain('Round 3');
    expect(await player.locator('.combatant.active').count()).toBe(1);
    await screenshot(gm, '04-initiative-gm');
    await screenshot(player, '05-initiative-player');
  });

  it('catches up after the player goes offline: everything once, in order', async () => {
    await playerContext.setOffline(true);
    await expect.poll(() => player.locator('.connection').innerText()).toContain('Offline');
    const lines = ['A goblin shrieks.', 'Torches flare in the dark.', 'Something heavy moves below.'] as const;
    for (const line of lines) await send(gm, line);
    await expect.poll(() => log(gm).innerText()).toContain(lines[2]);
    // The player's socket is really down: nothing arrived while offline.
    expect(await log(player).innerText()).not.toContain(lines[0]);
    await playerContext.setOffline(false);
    await player.getByText('Connected', { exact: true }).waitFor();
    await expect.poll(() => log(player).innerText()).toContain(lines[2]);
    const text = await log(player).innerText();
    for (const line of lines) expect(text.split(line).length - 1, line).toBe(1);
    expect(text.indexOf(lines[0])).toBeLessThan(text.indexOf(lines[1]));
    expect(text.indexOf(lines[1])).toBeLessThan(text.indexOf(lines[2]));
    // Nothing seen before going offline was repeated either.
    expect(text.split('You stand at the edge of the ravine.').length - 1).toBe(1);
  });

  it('streams a narration to the player, labelled, and the GM stops it; a roll request is answered with one click', async () => {
    await gm.getByRole('textbox', { name: 'What should the narrator describe?' }).fill('The goblin den behind the door');
    await gm.getByRole('button', { name: 'Narrate', exact: true }).click();
    const stream = player.locator('.narration-panel .stream');
    await expect.poll(() => stream.innerText()).toContain('Scripted narrator');
    await expect.poll(async () => (await stream.locator('.prose').innerText()).trim().length).toBeGreaterThan(0);
    await gm.getByRole('button', { name: 'Stop narration' }).click();
    const narration = (page: Page) => log(page).locator('.entry.narration').last();
    await expect.poll(() => narration(player).innerText()).toContain('cancelled');
    expect(await narration(gm).innerText()).toContain('cancelled by the GM');
    await expect.poll(() => player.locator('.narration-panel').count()).toBe(0);

    await gm.getByLabel('Character', { exact: true }).selectOption({ label: 'Tamsin Vale' });
    await gm.getByLabel('Check', { exact: true }).fill('Dexterity save');
    await gm.getByLabel('DC', { exact: true }).fill('14');
    await gm.getByRole('button', { name: 'Ask', exact: true }).click();
    await player.getByRole('button', { name: 'Roll Dexterity save' }).click();
    const card = (page: Page) => page.locator('.roll-card').filter({ hasText: 'Dexterity save' }).last();
    await expect.poll(() => card(gm).innerText()).toMatch(/DC 14: (success|failure)/);
    expect(await card(player).innerText()).toMatch(/DC 14: (success|failure)/);
    await expect.poll(() => player.getByRole('button', { name: 'Roll Dexterity save' }).count()).toBe(0);
    await expectAccessible(gm, 'table with narrator (GM)');
    await screenshot(gm, '06-narration-gm');
  });

  it('fits a 360 px phone', async () => {
    await player.setViewportSize({ width: 360, height: 780 });
    await expect.poll(() => player.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(player, '07-table-360px');
    await expectAccessible(player, 'table at 360 px');
    await player.setViewportSize({ width: 1280, height: 900 });
  });

  it('uploads the SRD excerpt with progress, then a rules search opens the cited page', async () => {
    const campaign = gm.url().replace(/\/tables\/.*/, '');
    await gm.getByRole('link', { name: 'Campaign', exact: true }).click();
    await gm.getByRole('link', { name: 'Rulebooks', exact: true }).click();
    await gm.getByRole('button', { name: 'Use the SRD 5.1 attribution' }).click();
    await gm.getByLabel('Upload a rulebook (PDF)').setInputFiles({ name: 'srd-small.pdf', mimeType: 'application/pdf', buffer: readFileSync(join(process.cwd(), 'test/fixtures/srd-small.pdf')) });
    await gm.locator('.rows li').filter({ hasText: 'srd-small' }).waitFor();
    await expectAccessible(gm, 'rulebooks');
    await expect.poll(() => gm.locator('.rows li').filter({ hasText: 'srd-small' }).innerText(), { timeout: 120_000, interval: 1000 }).toContain('Ready');
    await screenshot(gm, '08-rulebooks');
    expect(campaign).toContain(server.url);

    await player.goto(`${gm.url().replace(/\/rulebooks$/, '')}/rules`);
    await player.getByLabel('Ask the rulebooks').fill('how does grappling work');
    await player.getByRole('button', { name: 'Search' }).click();
    const first = player.locator('.hit').first();
    await first.waitFor();
    expect(await first.locator('mark').count()).toBeGreaterThan(0);
    await expect.poll(() => player.locator('.attribution').first().innerText()).toContain('System Reference Document 5.1');
    await expectAccessible(player, 'rules search');
    await screenshot(player, '09-rules-search');
    const cite = first.locator('.cite a');
    const page = Number(/p\. (\d+)/.exec(await cite.innerText())![1]);
    const [pdf] = await Promise.all([playerContext.waitForEvent('page'), cite.click()]);
    const response = await playerContext.request.get(pdf.url());
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('application/pdf');
    expect(pdf.url()).toContain(`#page=${page}`);
    await pdf.close();
  });

  it('edits a character sheet with validation messages in place', async () => {
    await player.goto(`${server.url}/`);
    await player.getByRole('link', { name: 'The Sunless Citadel (demo)' }).click();
    await player.getByRole('link', { name: 'Tamsin Vale' }).click();
    await player.getByLabel('Strength').waitFor();
    await player.getByLabel('Strength').fill('45');
    await expect.poll(() => player.locator('.field.invalid').filter({ hasText: 'Strength' }).innerText()).toMatch(/30/);
    expect(await player.getByRole('button', { name: 'Save sheet' }).isDisabled()).toBe(true);
    await player.getByLabel('Strength').fill('9');
    await player.getByRole('button', { name: 'Save sheet' }).click();
    await player.getByText(/Saved \(version \d+\)/).waitFor();
    await expectAccessible(player, 'character sheet');
    await screenshot(player, '10-character');
  });

  it('shows the campaign history with a diff, and lore with GM-only parts marked for the GM', async () => {
    await gm.goto(`${server.url}/`);
    await gm.getByRole('link', { name: 'The Sunless Citadel (demo)' }).click();
    await gm.getByRole('link', { name: 'History', exact: true }).click();
    await gm.getByRole('button', { name: 'Diff' }).first().click();
    await gm.getByRole('region', { name: 'Differences' }).waitFor();
    await expectAccessible(gm, 'history');
    await gm.getByRole('link', { name: 'Lore', exact: true }).click();
    await gm.getByRole('heading', { name: /Belak the Outcast/ }).waitFor();
    expect(await gm.locator('.gm-only').count()).toBeGreaterThan(0);
    await expectAccessible(gm, 'lore');
    await gm.getByRole('link', { name: 'Members', exact: true }).click();
    await gm.getByRole('button', { name: 'Create invite' }).click();
    await gm.getByRole('button', { name: 'Copy link' }).first().waitFor();
    await expectAccessible(gm, 'members');
    // The player's lore view has no GM-only parts at all.
    await player.goto(gm.url().replace(/\/members$/, '/lore'));
    await player.getByRole('heading', { name: /Meepo/ }).waitFor();
    expect(await player.locator('.gm-only').count()).toBe(0);
    expect(await player.getByText('Belak the Outcast').count()).toBe(0);
  });

  it('lets a newcomer open an invite link, create an account and join the campaign', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    collectErrors(page, errors);
    await page.goto(`${server.url}/join/DEMO-TABLE`);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Display name').fill('Cora');
    await page.getByLabel('Email').fill('cora@example.test');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    // The server's field error is shown next to the field.
    await expect.poll(() => page.locator('.field.invalid').innerText()).toMatch(/12/);
    await expectAccessible(page, 'sign up with an error');
    await page.getByLabel('Password').fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Join a campaign' }).waitFor();
    expect(await page.getByLabel('Invite code').inputValue()).toBe('DEMO-TABLE');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await page.getByRole('heading', { name: 'The Sunless Citadel (demo)' }).waitFor();
    expect(await page.locator('main').innerText()).toContain('you are a player');
    // Signing out and in again keeps working (tokens refreshed on reload).
    await page.reload();
    await page.getByRole('heading', { name: 'The Sunless Citadel (demo)' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await context.close();
  });

  it('the narrator tab: voices on and previewed, an NPC generated and kept, an encounter from the SRD stat blocks', async () => {
    await gm.goto(`${server.url}/`);
    await gm.getByRole('link', { name: 'The Sunless Citadel (demo)' }).click();
    await gm.getByRole('link', { name: 'Narrator', exact: true }).click();
    await gm.getByRole('heading', { name: 'Narrator settings' }).waitFor();
    await gm.getByLabel('Speak narrations aloud').check();
    await gm.getByLabel("Narrator's voice").selectOption('deep');
    await gm.getByRole('button', { name: 'Save narrator settings' }).click();
    await gm.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await gm.getByRole('button', { name: 'Make the clip' }).click();
    await gm.getByRole('button', { name: /Listen/ }).click();
    await expect.poll(() => gm.locator('audio.clip').evaluate((a: HTMLAudioElement) => a.duration || 0), { timeout: 10_000 }).toBeGreaterThan(0.5);

    await gm.getByLabel('Role (optional)').fill('ferryman');
    await gm.getByRole('button', { name: 'Generate NPC' }).click();
    const npc = gm.getByRole('article', { name: 'NPC preview' });
    await expect.poll(() => npc.innerText()).toContain('Template (no AI model configured)');
    await gm.getByRole('button', { name: 'Keep this NPC' }).click();
    await gm.getByRole('status').filter({ hasText: "in the campaign's lore" }).waitFor();

    await gm.getByLabel('Difficulty').selectOption('hard');
    await gm.getByLabel('Party levels (optional)').fill('3, 3, 3, 3');
    await gm.getByRole('button', { name: 'Generate encounter' }).click();
    const encounter = gm.getByRole('article', { name: 'Encounter preview' });
    await expect.poll(() => encounter.innerText()).toMatch(/hard for levels 3, 3, 3, 3/i);
    expect(await encounter.getByRole('link', { name: /^p\. \d+$/ }).count()).toBeGreaterThan(0);
    await expectAccessible(gm, 'narrator tab');
    await screenshot(gm, '10-narrator-tab');
    await gm.getByRole('button', { name: 'Keep as a GM note' }).click();
    await gm.getByRole('status').filter({ hasText: 'GM-only note' }).waitFor();
    await gm.getByRole('heading', { name: 'Model usage' }).waitFor();
  });

  it('speaks a narration the player can listen to; homebrew weighed against the rules; recaps searched after the session ends', async () => {
    await gm.getByRole('link', { name: 'Sessions & characters' }).click();
    await gm.getByRole('link', { name: 'Join the table' }).click();
    await gm.getByText('Connected', { exact: true }).waitFor();
    const table = gm.url();
    await player.goto(table);
    await player.getByText('Connected', { exact: true }).waitFor();
    await gm.getByRole('textbox', { name: 'What should the narrator describe?' }).fill('The rope bridge over the ravine');
    await gm.getByRole('button', { name: 'Narrate', exact: true }).click();
    const spoken = player.locator('.entry.narration-audio').last();
    await spoken.waitFor({ timeout: 30_000 });
    expect(await spoken.innerText()).toContain('Placeholder tones');
    await spoken.getByRole('button', { name: /Listen/ }).click();
    await expect.poll(() => spoken.locator('audio').evaluate((a: HTMLAudioElement) => a.duration || 0), { timeout: 10_000 }).toBeGreaterThan(0.5);
    await expectAccessible(player, 'table with a spoken narration');

    await player.goto(table.replace(/\/tables\/.*/, '/'));
    await player.getByRole('link', { name: 'The Sunless Citadel (demo)' }).click();
    await player.getByRole('link', { name: 'Rules search' }).click();
    await player.getByLabel('Your homebrew').fill('Frost Lance. 1st-level evocation: a ranged spell attack for 6d10 cold damage at a creature within 120 feet.');
    await player.getByRole('button', { name: 'Weigh it' }).click();
    await player.getByRole('heading', { name: 'Comparable passages' }).waitFor();
    expect(await player.locator('.notice').innerText()).toContain('No AI model is configured');
    await expectAccessible(player, 'homebrew weighed');

    gm.once('dialog', (d) => void d.accept());
    await gm.getByRole('button', { name: 'End session' }).click();
    await gm.goto(table.replace(/\/tables\/.*/, '/'));
    await gm.getByRole('link', { name: 'The Sunless Citadel (demo)' }).click();
    await gm.getByLabel('Search past sessions').fill('ravine');
    await gm.getByRole('button', { name: 'Search recaps' }).click();
    await expect.poll(() => gm.locator('.hits').innerText()).toContain('Into the ravine');
    expect(await gm.locator('.hits mark').count()).toBeGreaterThan(0);
    await expectAccessible(gm, 'recap search');
    // The GM edits the players' recap; players read the new text.
    await gm.getByText('Recap of “Into the ravine”').click();
    await gm.getByRole('button', { name: 'Edit the recaps' }).click();
    await gm.getByLabel('Recap for the players').fill('The party crossed the ravine on a rope bridge and heard something below.');
    await gm.getByRole('button', { name: 'Save recaps' }).click();
    await gm.getByRole('button', { name: 'Edit the recaps' }).waitFor();
    await player.goto(gm.url());
    await player.getByText('Recap of “Into the ravine”').click();
    await player.getByText('heard something below').waitFor();
    expect(await player.getByRole('button', { name: 'Edit the recaps' }).count()).toBe(0);
  });

  it('a player generates a character and keeps it, and wipes what the narrator keeps about them; the GM adds a fact', async () => {
    await player.goto(`${server.url}/`);
    await player.getByRole('link', { name: 'The Sunless Citadel (demo)' }).click();
    await player.getByText('Generate a first-level character').click();
    await player.getByLabel('Class').selectOption('rogue');
    await player.getByLabel('Ability scores').selectOption('roll');
    await player.getByLabel('Name (optional)').fill('Pip');
    await player.getByRole('button', { name: 'Generate character' }).click();
    const preview = player.getByRole('article', { name: 'Character preview' });
    await expect.poll(() => preview.innerText()).toMatch(/4d6kh3/);
    expect(await preview.innerText()).toContain('Rapier');
    await expectAccessible(player, 'character generator');
    await player.getByRole('button', { name: 'Keep this character' }).click();
    await player.waitForURL(/\/characters\/[0-9a-f-]{36}$/);
    await player.getByRole('heading', { level: 1, name: /Pip/ }).waitFor();

    await player.goto(player.url().replace(/\/characters\/.*/, '/narrator'));
    await player.getByRole('heading', { name: 'What the narrator keeps about you' }).waitFor();
    await player.getByRole('button', { name: 'Forget what it keeps about me' }).click();
    await expect.poll(() => player.locator('main').innerText()).toMatch(/0 actions at the table since you reset it/);
    expect(await player.getByRole('button', { name: 'Save narrator settings' }).count()).toBe(0);
    await expectAccessible(player, 'narrator tab (player)');

    await gm.goto(player.url());
    await gm.getByLabel('A fact to remember').fill('The party owes Meepo a dragon');
    await gm.getByRole('button', { name: 'Remember this' }).click();
    await gm.getByRole('button', { name: 'Retract “The party owes Meepo a dragon”' }).waitFor();
    await player.reload();
    await player.getByText('The party owes Meepo a dragon').waitFor();
  });

  it('had no uncaught errors in either browser', () => {
    expect(errors).toEqual([]);
  });
});
