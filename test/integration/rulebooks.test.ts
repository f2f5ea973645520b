import { env } from 'cloudflare:workers';
import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerRulesQuestion } from '../../src/services/rules';
import { judgeHomebrew, OPINION_DISCLAIMER } from '../../src/services/judgement';
import { loadMonsters } from '../../src/rules/store';
import { scriptedProvider } from '../../src/ai/scripted';
import { systemScope } from '../../src/services/scope';
import { call, isProblem, registerUser, setUpTable, type Table } from '../support/api';
import { fixture, uploadPdf, waitForIngestion } from '../support/rulebooks';

const SRD_ATTRIBUTION = 'This work includes material taken from the System Reference Document 5.1 ("SRD 5.1") by Wizards of the Coast LLC, CC-BY-4.0.';

let t: Table;
let book: any;

beforeAll(async () => {
  t = await setUpTable();
  const uploaded = await uploadPdf(t.gm, t.campaignId, fixture('srd-small.pdf'), `?title=SRD%205.1%20excerpt&attribution=${encodeURIComponent(SRD_ATTRIBUTION)}`);
  expect(uploaded.status).toBe(202);
  expect(uploaded.body).toMatchObject({ status: 'uploaded', progress: { stage: 'queued' }, sizeBytes: 564072 });
  book = await waitForIngestion(t.gm, t.campaignId, uploaded.body.id);
}, 120_000);

const search = (q: string, extra = '') => call('GET', `/api/campaigns/${t.campaignId}/rules/search?q=${encodeURIComponent(q)}${extra}`, { token: t.player.token });

describe('rulebook ingestion', () => {
  it('extracts every page into cited passages and reports progress', () => {
    expect(book.status).toBe('ready');
    expect(book.progress).toMatchObject({ stage: 'ready', pagesDone: 47, pagesTotal: 47 });
    expect(book.progress.chunks).toBeGreaterThan(100);
    expect(book.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('detects content types: spells, monsters, class features, rules', async () => {
    const types = await env.DB.prepare('SELECT content_type, count(*) AS n FROM rulebook_chunks WHERE rulebook_id = ? GROUP BY content_type').bind(book.id).all<{ content_type: string; n: number }>();
    const byType = Object.fromEntries(types.results.map((r) => [r.content_type, r.n]));
    expect(byType.spell).toBeGreaterThan(50);
    expect(byType.monster).toBeGreaterThan(20);
    expect(byType.class_feature).toBeGreaterThan(20);
    expect(byType.rule).toBeGreaterThan(10);
  });

  it('keeps headings and page numbers: the Acid Splash passage is on page 18 under Spell Descriptions', async () => {
    const row = await env.DB.prepare("SELECT page, heading_path, content_type FROM rulebook_chunks WHERE rulebook_id = ? AND heading = 'Acid Splash'").bind(book.id).first<{ page: number; heading_path: string; content_type: string }>();
    expect(row).toMatchObject({ page: 18, content_type: 'spell' });
    expect(JSON.parse(row!.heading_path).slice(-2)).toEqual(['Spell Descriptions', 'Acid Splash']);
  });

  it('deduplicates the same file', async () => {
    const again = await uploadPdf(t.gm, t.campaignId, fixture('srd-small.pdf'));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: book.id, duplicate: true });
    expect((await call('GET', `/api/campaigns/${t.campaignId}/rulebooks`, { token: t.gm.token })).body.items).toHaveLength(1);
  });
});

describe('rules search', () => {
  it('answers "how does turn undead work" with the rule and its page', async () => {
    const res = await search('how does turn undead work');
    expect(res.status).toBe(200);
    const top = res.body.hits[0];
    expect(top.headingPath.join(' > ')).toMatch(/Turn Undead/);
    expect(top.page).toBe(12);
    expect(top.snippet).toContain('<mark>');
    expect(top.rulebookTitle).toBe('SRD 5.1 excerpt');
    expect(top.attribution).toBe(SRD_ATTRIBUTION);
    expect(top.url).toMatch(new RegExp(`^/api/files/rulebooks/${book.id}\\?exp=\\d+&sig=[\\w-]+#page=${top.page}$`));
  });

  it('recognises "blight damage" as a question about a spell (a known spell heading) and explains the ranking', async () => {
    const res = await search('blight damage', '&explain=true');
    expect(res.body.interpretation.intent).toBe('spell');
    expect(res.body.narrowedTo).toBeNull();
    const top = res.body.hits[0];
    expect(top.contentType).toBe('spell');
    expect(top.headingPath[top.headingPath.length - 1]).toBe('Blight');
    expect(top.page).toBe(26);
    expect(top.explain.matchedTerms).toContain('blight');
    expect(top.explain.intentBoost).toBe(2);
    expect(top.explain.headingScore).toBeGreaterThan(0);
  });

  it('shows the answering sentence, escaped, and one hit per section', async () => {
    const res = await search('how does turn undead work');
    const top = res.body.hits[0];
    expect(top.snippet.replace(/<\/?mark>/g, '')).toContain('must make a Wisdom saving throw');
    expect(top.snippet).not.toMatch(/<(?!\/?mark>)/);
    const sections = res.body.hits.map((h: { page: number; headingPath: string[] }) => `${h.page}|${h.headingPath.join('>')}`);
    expect(new Set(sections).size).toBe(sections.length);
  });

  it('finds a passage by the names of the sections above it (the heading path is indexed)', async () => {
    // "Cleric" appears in the path of the cleric's features, not in every passage's text.
    const res = await search('cleric channel divinity', '&limit=5');
    expect(res.body.hits[0].headingPath).toEqual(expect.arrayContaining(['Cleric', 'Channel Divinity']));
  });

  it('switches query-understanding features per request, and refuses unknown ones', async () => {
    const plain = await search('free swing when someone runs away', '&without=idioms');
    expect(plain.body.interpretation.expansions.map((e: { term: string }) => e.term)).not.toContain('opportunity attack');
    const full = await search('free swing when someone runs away');
    expect(full.body.interpretation.expansions).toEqual(expect.arrayContaining([{ term: 'opportunity attack', via: 'idiom' }]));
    const bad = await search('fire', '&without=telepathy');
    expect(isProblem(bad, 400)).toBe(true);
    expect(JSON.stringify(bad.body)).toContain('Unknown feature telepathy');
  });

  it('answers a rules question from the books with citations and page links, or says the books do not', async () => {
    const res = await call('POST', `/api/campaigns/${t.campaignId}/rules/answer`, { token: t.player.token, body: { question: 'how does turn undead work' } });
    expect(res.status).toBe(200);
    expect(res.body.mode).toBe('extractive');
    expect(res.body.answer).toContain('must make a Wisdom saving throw');
    expect(res.body.answer).toContain('[SRD 5.1 excerpt p.12]');
    expect(res.body.citations[0]).toMatchObject({ citation: '[SRD 5.1 excerpt p.12]', page: 12, rulebookTitle: 'SRD 5.1 excerpt' });
    expect(res.body.citations[0].url).toMatch(/#page=12$/);
    const none = await call('POST', `/api/campaigns/${t.campaignId}/rules/answer`, { token: t.player.token, body: { question: 'xyzzyq plughw' } });
    expect(none.body.answer).toMatch(/^The books don't say/);
    expect(none.body.citations).toEqual([]);
    expect(isProblem(await call('POST', `/api/campaigns/${t.campaignId}/rules/answer`, { token: t.player.token, body: { question: '' } }), 400)).toBe(true);
  });

  it('puts the house rules that apply before the books (cited as house rules), only those the asker may read', async () => {
    const note = (token: string, body: Record<string, unknown>) => call('POST', `/api/campaigns/${t.campaignId}/notes`, { token, body: { category: 'house-rule', ...body } });
    expect((await note(t.gm.token, { title: 'Turn Undead', body: 'At our table, turned undead flee for 1 hour instead of 1 minute.', visibility: 'party' })).status).toBe(201);
    await note(t.gm.token, { title: 'Secret undead rule', body: 'Liches ignore turn undead entirely.', visibility: 'gm' });
    await note(t.gm.token, { title: 'Flanking', body: 'Flanking gives advantage on melee attacks.', visibility: 'party' });
    const res = await call('POST', `/api/campaigns/${t.campaignId}/rules/answer`, { token: t.player.token, body: { question: 'how does turn undead work' } });
    expect(res.body.answer).toMatch(/^House rule “Turn Undead”: At our table, turned undead flee for 1 hour instead of 1 minute\. \[House rule: Turn Undead\]/);
    expect(res.body.answer).toContain('[SRD 5.1 excerpt p.12]');
    expect(res.body.answer).not.toContain('Liches');
    expect(res.body.answer).not.toContain('Flanking');
    expect(res.body.citations[0]).toMatchObject({ kind: 'house-rule', citation: '[House rule: Turn Undead]', title: 'Turn Undead' });
    expect(res.body.citations[1]).toMatchObject({ kind: 'book', page: 12 });
    // The GM's own rule reaches the GM.
    const gm = await call('POST', `/api/campaigns/${t.campaignId}/rules/answer`, { token: t.gm.token, body: { question: 'can liches resist turn undead' } });
    expect(gm.body.answer).toContain('Liches ignore turn undead entirely.');
  });

  it('a model answer is used only when it cites what it was given; otherwise the extractive answer stands', async () => {
    const principal = { userId: t.player.id, email: t.player.email, displayName: 'player', via: 'access-token' as const };
    const scope = systemScope(env, { principal });
    const model = (text: string) => scriptedProvider({ script: () => text });
    const asModel = (provider: ReturnType<typeof scriptedProvider>) => ({ ...provider, kind: 'openai-compatible' as const, model: 'stub', label: 'stub (OpenAI-compatible endpoint)' });
    const good = await answerRulesQuestion(scope, t.campaignId, { question: 'how does turn undead work' }, asModel(model('Each undead that can see or hear you makes a Wisdom saving throw [SRD 5.1 excerpt p.12]; at this table a turned creature flees for an hour [House rule: Turn Undead].')));
    expect(good).toMatchObject({ mode: 'model', label: 'stub (OpenAI-compatible endpoint)' });
    expect(good.answer).toContain('[House rule: Turn Undead]');
    const invented = await answerRulesQuestion(scope, t.campaignId, { question: 'how does turn undead work' }, asModel(model('Undead take 4d6 radiant damage [PHB p.59].')));
    expect(invented.mode).toBe('extractive');
    expect(invented.answer).toContain('must make a Wisdom saving throw');
    const uncited = await answerRulesQuestion(scope, t.campaignId, { question: 'how does turn undead work' }, asModel(model('Undead flee, trust me.')));
    expect(uncited.mode).toBe('extractive');
    // Each model call is recorded for the GM's usage view.
    const usage = await call('GET', `/api/campaigns/${t.campaignId}/ai/usage`, { token: t.gm.token });
    expect(usage.body.today.byKind).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'answer', calls: 3, provider: 'openai-compatible' })]));
  });

  it('leaves real words alone and corrects only misspellings', async () => {
    const res = await search('wobbly grapling');
    expect(res.body.interpretation.corrections).toEqual([{ from: 'grapling', to: 'grappling' }]);
  });

  it('expands abbreviations and corrects spelling from the books\' own words', async () => {
    const ac = await search('what is my AC');
    expect(ac.body.interpretation.expansions).toEqual(expect.arrayContaining([{ term: 'armor class', via: 'abbreviation' }]));
    const typo = await search('chanel divinty');
    expect(typo.body.didYouMean).toBe('channel divinity');
    expect(typo.body.hits[0].headingPath.join(' ')).toMatch(/Channel Divinity/);
  });

  it('filters by content type and rulebook, and bounds query and limit', async () => {
    const monsters = await search('grappled escape', '&contentType=monster&limit=3');
    expect(monsters.body.hits.length).toBe(3);
    expect(monsters.body.hits.every((h: { contentType: string }) => h.contentType === 'monster')).toBe(true);
    const byBook = await search('grappled', `&rulebookId=${book.id}&sourceType=rules`);
    expect(byBook.body.hits.length).toBeGreaterThan(0);
    expect((await search('grappled', '&sourceType=lore')).body.hits).toEqual([]);
    expect(isProblem(await search('x'.repeat(10_000)), 400)).toBe(true);
    expect(isProblem(await search('fire', '&limit=0'), 400)).toBe(true);
    expect(isProblem(await search('fire', '&limit=101'), 400)).toBe(true);
    const injection = await search('fire" OR rulebook_chunks_fts MATCH "*');
    expect(injection.status).toBe(200);
  });

  it('keeps analytics of popular and zero-result queries for the GM', async () => {
    await search('zzzqqq xyzzyq');
    const analytics = await call('GET', `/api/campaigns/${t.campaignId}/rules/analytics`, { token: t.gm.token });
    expect(analytics.body.zeroResults.map((z: { query: string }) => z.query)).toContain('zzzqqq xyzzyq');
    expect(analytics.body.popular.length).toBeGreaterThan(0);
    expect(isProblem(await call('GET', `/api/campaigns/${t.campaignId}/rules/analytics`, { token: t.player.token }), 403)).toBe(true);
  });

  it('another campaign sees nothing of this book', async () => {
    const res = await call('GET', `/api/campaigns/${t.otherCampaignId}/rules/search?q=turn%20undead`, { token: t.otherGm.token });
    expect(res.body.hits).toEqual([]);
    expect(isProblem(await call('GET', `/api/campaigns/${t.campaignId}/rules/search?q=turn%20undead`, { token: t.otherGm.token }), 404)).toBe(true);
    expect(isProblem(await call('GET', `/api/campaigns/${t.otherCampaignId}/rulebooks/${book.id}`, { token: t.otherGm.token }), 404)).toBe(true);
  });
});

describe('PDF links', () => {
  it('serves the PDF with range support through the signed link only', async () => {
    const hit = (await search('turn undead')).body.hits[0];
    const url = `http://lorekeeper.test${hit.url.split('#')[0]}`;
    const full = await exports.default.fetch(url);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('application/pdf');
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    expect((await full.arrayBuffer()).byteLength).toBe(564072);
    const part = await exports.default.fetch(url, { headers: { range: 'bytes=0-7' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 0-7/564072');
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(fixture('srd-small.pdf').slice(0, 8));
    const tampered = url.replace(/sig=[\w-]+/, 'sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect((await exports.default.fetch(tampered)).status).toBe(403);
    const expired = url.replace(/exp=\d+/, 'exp=1000');
    expect((await exports.default.fetch(expired)).status).toBe(403);
  });
});

describe('bad uploads', () => {
  it('refuses non-PDFs, empty files and oversized declarations before storing anything', async () => {
    const gm = t.gm;
    const text = await uploadPdf(gm, t.campaignId, new TextEncoder().encode('just some text, not a pdf at all'));
    expect(isProblem(text, 415)).toBe(true);
    const empty = await uploadPdf(gm, t.campaignId, new Uint8Array(0));
    expect(isProblem(empty, 400)).toBe(true);
    const player = await uploadPdf(t.player, t.campaignId, fixture('one-page.pdf'));
    expect(isProblem(player, 403)).toBe(true);
    const listed = await env.FILES.list({ prefix: `rulebooks/${t.campaignId}/` });
    expect(listed.objects).toHaveLength(1);
  });

  it('fails ingestion with a reason for encrypted, truncated, image-only and zero-page PDFs', async () => {
    const reasons: Record<string, string> = {};
    const srd = fixture('srd-small.pdf');
    const cases: [string, Uint8Array][] = [
      ['encrypted', fixture('encrypted.pdf')],
      ['truncated', srd.slice(0, 20_000)],
      ['image-only', fixture('image-only.pdf')],
      ['no-pages', fixture('no-pages.pdf')],
    ];
    for (const [name, bytes] of cases) {
      const res = await uploadPdf(t.gm, t.campaignId, bytes, `?filename=../../etc/${name}.pdf`);
      expect(res.status, name).toBe(202);
      expect(res.body.filename).toBe(`${name}.pdf`);
      const done = await waitForIngestion(t.gm, t.campaignId, res.body.id);
      expect(done.status, name).toBe('failed');
      reasons[name] = done.error;
      const chunks = await env.DB.prepare('SELECT count(*) AS n FROM rulebook_chunks WHERE rulebook_id = ?').bind(res.body.id).first<{ n: number }>();
      expect(chunks!.n, name).toBe(0);
    }
    expect(reasons.encrypted).toMatch(/password-protected/);
    expect(reasons.truncated).toMatch(/damaged|could not be read/);
    expect(reasons['image-only']).toMatch(/No text found/);
    expect(reasons['no-pages']).toMatch(/no pages|damaged|could not be read/);
    // Failed books are never searched.
    const res = await search('grab a creature attack action');
    expect(res.body.hits.every((h: { rulebookId: string }) => h.rulebookId === book.id)).toBe(true);
  });
});

describe('management', () => {
  it('renames, re-indexes, and deletes leaving nothing behind', async () => {
    const gm = await registerUser('librarian');
    const { body: campaign } = await call('POST', '/api/campaigns', { token: gm.token, body: { name: 'Library' } });
    const up = await uploadPdf(gm, campaign.id, fixture('one-page.pdf'), '?title=Quick%20rules');
    let done = await waitForIngestion(gm, campaign.id, up.body.id);
    expect(done.status).toBe('ready');
    const renamed = await call('PATCH', `/api/campaigns/${campaign.id}/rulebooks/${up.body.id}`, { token: gm.token, body: { title: 'Quick grappling rules' } });
    expect(renamed.body.title).toBe('Quick grappling rules');
    const reindex = await call('POST', `/api/campaigns/${campaign.id}/rulebooks/${up.body.id}/reindex`, { token: gm.token });
    expect(reindex.status).toBe(202);
    done = await waitForIngestion(gm, campaign.id, up.body.id);
    expect(done.status).toBe('ready');
    const hits = await call('GET', `/api/campaigns/${campaign.id}/rules/search?q=grapple`, { token: gm.token });
    expect(hits.body.hits).toHaveLength(1);
    expect(hits.body.hits[0].page).toBe(1);

    expect((await call('DELETE', `/api/campaigns/${campaign.id}/rulebooks/${up.body.id}`, { token: gm.token })).status).toBe(204);
    const left = await env.DB.prepare(`SELECT
      (SELECT count(*) FROM rulebooks WHERE id = ?1) AS books,
      (SELECT count(*) FROM rulebook_chunks WHERE rulebook_id = ?1) AS chunks,
      (SELECT count(*) FROM rulebook_terms WHERE rulebook_id = ?1) AS terms,
      (SELECT count(*) FROM rulebook_chunks_fts WHERE rulebook_chunks_fts MATCH 'grapple') AS fts`).bind(up.body.id).first();
    expect(left).toEqual({ books: 0, chunks: 0, terms: 0, fts: expect.any(Number) });
    const stillIndexed = await call('GET', `/api/campaigns/${campaign.id}/rules/search?q=grapple`, { token: gm.token });
    expect(stillIndexed.body.hits).toEqual([]);
    expect(await env.FILES.head(`rulebooks/${campaign.id}/${up.body.id}.pdf`)).toBeNull();
  });
});

describe('content check against the rulebooks', () => {
  it('finds known, misspelled and unknown entities in homebrew text, with defining pages', async () => {
    const text = 'The necromancer casts Animate Dead and Arcane Eye, then calls an Aboleth and a Chuul. Her apprentice only knows Acid Splsh.';
    const res = await call('POST', `/api/campaigns/${t.campaignId}/rules/check`, { token: t.player.token, body: { text } });
    expect(res.status).toBe(200);
    const findings = res.body.reports[0].findings;
    const byName = Object.fromEntries(findings.map((f: { name: string }) => [f.name, f]));
    expect(byName['Animate Dead']).toMatchObject({ status: 'known', type: 'spell', pages: [{ rulebookId: book.id, page: 19 }] });
    expect(byName['Arcane Eye']).toMatchObject({ status: 'known', type: 'spell' });
    expect(byName['Aboleth']).toMatchObject({ status: 'known', type: 'monster' });
    expect(byName['Chuul']).toMatchObject({ status: 'known', type: 'monster' });
    expect(byName['Acid Splsh']).toMatchObject({ status: 'misspelled', suggestion: 'Acid Splash', pages: [{ page: 18 }] });
    expect(byName['Acid Splsh'].pages[0].url).toMatch(/#page=18$/);
    expect(res.body.summary).toMatchObject({ misspelled: 1 });
    const again = await call('POST', `/api/campaigns/${t.campaignId}/rules/check`, { token: t.player.token, body: { text } });
    expect(again.body.cached).toBe(true);
    // Same findings; only the signed links are fresh.
    const withoutUrls = (reports: any[]) => JSON.parse(JSON.stringify(reports).replace(/"url":"[^"]*"/g, '"url":""'));
    expect(withoutUrls(again.body.reports)).toEqual(withoutUrls(res.body.reports));
  });

  it("gives the model's opinion of homebrew against comparable passages, cited and marked as opinion; without a model, the passages", async () => {
    const homebrew = 'Frost Lance. 1st-level evocation. A shard of ice flies at a creature within 120 feet: ranged spell attack, 6d10 cold damage, and its speed drops to 0.';
    const judge = (body: Record<string, unknown>, token = t.player.token) => call('POST', `/api/campaigns/${t.campaignId}/rules/judge`, { token, body });
    const plain = await judge({ text: homebrew, kind: 'spell' });
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ kind: 'spell', opinion: null, reason: expect.stringMatching(/^No AI model is configured: an opinion needs a model/) });
    expect(plain.body.comparables.length).toBeGreaterThan(0);
    expect(plain.body.comparables[0]).toMatchObject({ citation: expect.stringMatching(/^\[SRD 5\.1 excerpt p\.\d+\]$/), url: expect.stringMatching(/#page=\d+$/), attribution: SRD_ATTRIBUTION });
    expect(isProblem(await judge({ text: 'short' }), 400)).toBe(true);
    expect(isProblem(await judge({ text: homebrew }, t.spectator.token), 403)).toBe(true);
    expect(isProblem(await judge({ text: homebrew }, t.outsider.token), 404)).toBe(true);

    const asked: Record<string, unknown>[] = [];
    const ai = { run: async (_m: string, inputs: Record<string, unknown>) => {
      asked.push(inputs);
      return { response: { verdict: 'overpowered', summary: 'Far more damage than a first-level attack cantrip or spell.', comparisons: [{ source: 1, note: 'Compare the damage dice.' }, { source: 9, note: 'A passage it was never given.' }], suggestions: ['Use 3d8 and no speed loss'] } };
    } };
    const scope = systemScope({ ...env, AI: ai } as unknown as Env, { principal: { userId: t.player.id, email: t.player.email, displayName: 'player', via: 'access-token' } });
    const judged = await judgeHomebrew(scope, t.campaignId, { text: homebrew, kind: 'spell' });
    expect(judged.reason).toBeNull();
    expect(judged.opinion).toMatchObject({ verdict: 'overpowered', label: expect.stringContaining('(Workers AI)'), disclaimer: OPINION_DISCLAIMER, suggestions: ['Use 3d8 and no speed loss'] });
    // Only comparisons of passages it was given survive, each with its citation and page link.
    expect((judged.opinion as { comparisons: unknown[] }).comparisons).toEqual([{ citation: judged.comparables[0]!.citation, url: judged.comparables[0]!.url, note: 'Compare the damage dice.' }]);
    const sent = JSON.stringify(asked[0]!.messages);
    expect(sent).toContain('Frost Lance');
    expect(sent).toContain(judged.comparables[0]!.citation.replace(/"/g, '\\"'));
    const usage = await call('GET', `/api/campaigns/${t.campaignId}/ai/usage`, { token: t.gm.token });
    expect(usage.body.today.byKind).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'judgement', provider: 'workers-ai', calls: 1 })]));
    // The judgement's own searches are not people's questions: the GM's search analytics do not show them.
    const analytics = await call('GET', `/api/campaigns/${t.campaignId}/rules/analytics`, { token: t.gm.token });
    expect(JSON.stringify(analytics.body)).not.toContain('Frost');
  });

  it('builds an encounter from the monsters of the SRD excerpt, each cited to its page', async () => {
    const res = await call('POST', `/api/campaigns/${t.campaignId}/generate/encounter`, { token: t.gm.token, body: { difficulty: 'medium', partyLevels: [3, 3, 3, 3] } });
    expect(res.status).toBe(200);
    expect(res.body.rating).toBe('medium');
    for (const m of res.body.monsters) {
      expect(m.source).toMatchObject({ rulebookId: book.id, url: expect.stringMatching(/#page=\d+$/) });
      expect(m.source.page).toBeGreaterThanOrEqual(38);
      expect(m.armorClass).toBeGreaterThan(0);
      expect(m.hitPoints).toBeGreaterThan(0);
    }
    const aberrations = await call('POST', `/api/campaigns/${t.campaignId}/generate/encounter`, { token: t.gm.token, body: { difficulty: 'deadly', partyLevels: [9, 9, 9, 9], creatureType: 'aberration', maxCr: '10' } });
    expect(aberrations.body.rating).toBe('deadly');
    for (const m of aberrations.body.monsters) expect(m).toMatchObject({ type: 'aberration' });
    // The stat blocks as read from the book.
    const monsters = await loadMonsters(env.DB, t.campaignId);
    expect(monsters.find((m) => m.name === 'Aboleth')).toMatchObject({ cr: '10', xp: 5900, type: 'aberration', size: 'Large', armorClass: 17, hitPoints: 135, hitDice: '18d10+36', abilities: { str: 21, dex: 9, con: 15, int: 18, wis: 15, cha: 18 } });
    expect(monsters.length).toBeGreaterThan(10);
  });

  it("checks a character's spells and items, and (GM) the whole campaign", async () => {
    const pc = await call('POST', `/api/campaigns/${t.campaignId}/characters`, {
      token: t.player.token,
      body: { name: 'Necro', sheet: { spellcasting: { spells: [{ name: 'Blight', level: 4 }, { name: 'Charm Persn', level: 1 }, { name: 'Wish Upon a Star', level: 9 }] } } },
    });
    const res = await call('POST', `/api/campaigns/${t.campaignId}/rules/check`, { token: t.player.token, body: { characterId: pc.body.id } });
    expect(res.body.reports[0].subject).toMatchObject({ kind: 'character', name: 'Necro' });
    expect(res.body.reports[0].findings.map((f: { name: string; status: string; suggestion: string | null; source: string }) => [f.name, f.status, f.suggestion, f.source])).toEqual([
      ['Blight', 'known', null, 'spells[0]'],
      ['Charm Persn', 'misspelled', 'Charm Person', 'spells[1]'],
      ['Wish Upon a Star', 'unknown', null, 'spells[2]'],
    ]);
    await call('POST', `/api/campaigns/${t.campaignId}/npcs`, { token: t.gm.token, body: { name: 'Deva', gmOnly: { statBlock: 'Casts Commune and Cone of Cold at will.' } } });
    const campaign = await call('POST', `/api/campaigns/${t.campaignId}/rules/check`, { token: t.gm.token, body: { scope: 'campaign' } });
    const subjects = campaign.body.reports.map((r: { subject: { kind: string; name: string } }) => `${r.subject.kind}:${r.subject.name}`);
    expect(subjects).toEqual(expect.arrayContaining(['character:Necro', 'npc:Deva']));
    const deva = campaign.body.reports.find((r: { subject: { name: string } }) => r.subject.name === 'Deva');
    expect(deva.findings.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['Deva', 'Commune', 'Cone of Cold']));
    expect(isProblem(await call('POST', `/api/campaigns/${t.campaignId}/rules/check`, { token: t.player.token, body: { scope: 'campaign' } }), 403)).toBe(true);
    expect(isProblem(await call('POST', `/api/campaigns/${t.campaignId}/rules/check`, { token: t.player.token, body: { text: 'x', scope: 'campaign' } }), 400)).toBe(true);
    expect(isProblem(await call('POST', `/api/campaigns/${t.campaignId}/rules/check`, { token: t.player.token, body: {} }), 400)).toBe(true);
  });
});
