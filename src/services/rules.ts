/**
 * Rules lookups for members of a campaign: search its ready rulebooks (every
 * hit cites book and page, with a signed link to the PDF page), the GM's search
 * analytics, and the PDF behind a signed link.
 */
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { answerMessages, checkCitations, NOT_IN_BOOKS, type AnswerSource } from '../ai/answer';
import { complete, type NarrationProvider } from '../ai/provider';
import { newId } from '../db/client';
import { notes, rulebooks, searchQueries } from '../db/schema';
import { forbidden, notFound } from '../lib/problem';
import { semanticBindings } from '../rules/embeddings';
import { fileLinks, verifyFileSignature } from '../rules/file-links';
import { searchRules, type SearchOptions } from '../rules/search';
import { chunksById } from '../rules/store';
import { matchHouseRules } from '../rules/house-rules';
import { metered, overBudget, takeAiCall } from './ai-usage';
import { narratorFor } from './narrator-settings';
import { noteReadableSql, requireMember, type Member } from './policy';
import { linkSecret } from './rulebooks';
import { callerOf, type Scope } from './scope';

/** A rules search: the question and the search options (limit, filters, explain, understanding). */
export type RulesQuery = SearchOptions & { q: string };

export async function searchCampaignRules(scope: Scope, campaignId: string, input: RulesQuery) {
  return searchAs(scope, await requireMember(scope, campaignId), input);
}

/** The search itself, for a member already checked (answers and judgements check once and search). */
export async function searchAs(scope: Scope, member: Member, input: RulesQuery, how: { record?: boolean } = {}) {
  const started = Date.now();
  const { q, ...options } = input;
  const result = await searchRules(scope.env.DB, member.campaign.id, q, options, semanticBindings(scope.env));
  const link = await fileLinks(linkSecret(scope), result.hits.map((h) => h.rulebookId));
  const hits = result.hits.map(({ chunkId, ...h }) => ({ passageId: chunkId, ...h, url: link(h.rulebookId, h.page) }));
  // Recorded before answering, so the GM's analytics include every search people asked (not the judgement's own).
  if (how.record !== false) await scope.db.insert(searchQueries).values({
    id: newId(), campaignId: member.campaign.id, userId: callerOf(scope).userId, query: q.slice(0, 300), normalized: result.plan.terms.join(' ').slice(0, 300), resultCount: hits.length,
    durationMs: Date.now() - started,
  });
  return {
    query: q, hits, didYouMean: result.didYouMean, narrowedTo: result.narrowedTo,
    interpretation: { terms: result.plan.terms, expansions: result.plan.expansions, corrections: result.plan.corrections, intent: result.plan.intent },
    semantic: result.semantic,
  };
}

/** A snippet's text without its markup (snippets are HTML-escaped, query words in <mark>). */
export const plainSnippet = (html: string) => html.replace(/<\/?mark>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * A rules question answered from the books and the table's house rules. The search finds the passages (at most
 * three, close to the best); the GM's house rules (notes in the `house-rule` category the caller may read) that
 * speak to the question come first, since the table's rule wins over the printed one. With a model configured (and
 * the caller's allowance not spent), the model answers in plain words from those sources only, and its answer is
 * used only if every citation in it is one it was given; otherwise — and with the scripted narrator — the answer is
 * extractive: the house rules, then the answering sentences of each passage, each cited (`[book p.N]`,
 * `[House rule: title]`) with a link to the page. Nothing matches: "the books don't say".
 */
export async function answerRulesQuestion(scope: Scope, campaignId: string, input: { question: string }, provider?: NarrationProvider) {
  const member = await requireMember(scope, campaignId);
  const found = await searchAs(scope, member, { q: input.question, limit: 5 });
  const readable = await scope.db.select({ id: notes.id, title: notes.title, body: notes.body }).from(notes)
    .where(and(eq(notes.campaignId, member.campaign.id), eq(notes.category, 'house-rule'), isNull(notes.deletedAt), noteReadableSql(member))).limit(200);
  const house = matchHouseRules(input.question, readable);
  const best = found.hits[0]?.score ?? 0;
  const used = found.hits.filter((h, i) => i === 0 || h.score >= best * 0.6).slice(0, 3);
  if (used.length === 0 && house.length === 0) {
    return { question: input.question, answer: `${NOT_IN_BOOKS}: no passage of this campaign's rulebooks and no house rule matches the question.`, citations: [], mode: 'extractive' as const, label: null };
  }
  const cite = (h: (typeof used)[number]) => `[${h.rulebookTitle} p.${h.page}]`;
  const houseCite = (r: (typeof house)[number]) => `[House rule: ${r.title}]`;
  const citations = [
    ...house.map((r) => ({ citation: houseCite(r), kind: 'house-rule' as const, noteId: r.id, title: r.title })),
    ...used.map((h) => ({ citation: cite(h), kind: 'book' as const, rulebookTitle: h.rulebookTitle, page: h.page, headingPath: h.headingPath, passageId: h.passageId, url: h.url, attribution: h.attribution })),
  ];
  const modelAnswer = await answerWithModel(scope, member, input.question, house.map((r) => ({ citation: houseCite(r), text: `${r.title}\n${r.body}`, houseRule: true })), used, cite, provider);
  if (modelAnswer) return { question: input.question, answer: modelAnswer.text, citations, mode: 'model' as const, label: modelAnswer.label };
  const clip = (text: string) => (text.length > 500 ? `${text.slice(0, 499)}…` : text);
  return {
    question: input.question,
    answer: [
      ...house.map((r) => `House rule “${r.title}”: ${clip(r.body.replace(/\s+/g, ' ').trim())} ${houseCite(r)}`),
      ...used.map((h) => `${plainSnippet(h.snippet).replace(/\n/g, ' ')} ${cite(h)}`),
    ].join('\n\n'),
    citations,
    mode: 'extractive' as const,
    label: null,
  };
}

/** The whole text of each hit's passage (hits carry only a snippet), in the hits' order; '' for one gone meanwhile. */
export async function passageTexts(scope: Scope, campaignId: string, hits: { passageId: number }[]): Promise<string[]> {
  const rows = await chunksById(scope.env.DB, campaignId, hits.map((h) => h.passageId));
  return hits.map((h) => rows.find((r) => r.id === h.passageId)?.text ?? '');
}

/** The model's answer over the sources, or null (no model, allowance spent, failure, or a citation it was not given). */
async function answerWithModel<H extends { passageId: number; rulebookTitle: string; page: number }>(
  scope: Scope, member: Member, question: string, house: AnswerSource[], hits: H[], cite: (h: H) => string, provider?: NarrationProvider,
) {
  const chosen = provider ?? (await narratorFor(scope, member.campaign.id)).provider;
  if (chosen.kind === 'scripted' || (await overBudget(scope, member.campaign.id, member.userId))) return null;
  // Over the per-user pace, the extractive answer still answers.
  if (!(await takeAiCall(scope, member.userId).then(() => true, () => false))) return null;
  const texts = await passageTexts(scope, member.campaign.id, hits);
  const sources: AnswerSource[] = [...house, ...hits.map((h, i) => ({ citation: cite(h), text: texts[i]!, houseRule: false }))];
  try {
    const out = await metered(scope, { campaignId: member.campaign.id, userId: member.userId, kind: 'answer', provider: chosen },
      () => complete(chosen, { messages: answerMessages(question, sources), maxTokens: 300, temperature: 0.2, signal: AbortSignal.timeout(30_000) }));
    const text = out.text.trim();
    const { used, unknown } = checkCitations(text, sources);
    // An answer that cites nothing, or cites what it was not given, is not trusted ("the books don't say" needs no citation).
    if (unknown.length || (used.length === 0 && !text.startsWith(NOT_IN_BOOKS))) return null;
    return { text, label: chosen.label };
  } catch {
    return null;
  }
}

/** One passage of a ready rulebook of the campaign, by id (from a search hit's `passageId`), with its page link. */
export async function getPassage(scope: Scope, campaignId: string, passageId: number) {
  const member = await requireMember(scope, campaignId);
  const [row] = await chunksById(scope.env.DB, member.campaign.id, [passageId]);
  if (!row) throw notFound('Passage');
  const link = await fileLinks(linkSecret(scope), [row.rulebook_id]);
  return {
    passageId: row.id, rulebookId: row.rulebook_id, rulebookTitle: row.title, attribution: row.attribution, page: row.page,
    headingPath: JSON.parse(row.heading_path) as string[], contentType: row.content_type, text: row.text, url: link(row.rulebook_id, row.page),
  };
}

/** Popular and zero-result searches of the last 30 days (GM). */
export async function searchAnalytics(scope: Scope, campaignId: string) {
  const gm = await requireMember(scope, campaignId, 'gm');
  const since = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const recent = and(eq(searchQueries.campaignId, gm.campaign.id), gt(searchQueries.at, since));
  const popular = await scope.db.select({ query: searchQueries.normalized, count: sql<number>`count(*)` }).from(searchQueries)
    .where(recent).groupBy(searchQueries.normalized).orderBy(desc(sql`count(*)`)).limit(20);
  const zeroResults = await scope.db.select({ query: searchQueries.query, count: sql<number>`count(*)`, lastAt: sql<string>`max(${searchQueries.at})` }).from(searchQueries)
    .where(and(recent, eq(searchQueries.resultCount, 0))).groupBy(searchQueries.query).orderBy(desc(sql`count(*)`)).limit(20);
  return { popular, zeroResults };
}

/** The stored PDF behind a signed link (the signature is the authorisation: links are handed out to members only). */
export async function signedRulebookFile(scope: Scope, input: { id: string; exp: number; sig: string; range: Headers }) {
  if (!(await verifyFileSignature(linkSecret(scope), input.id, input.exp, input.sig))) throw forbidden('The link is invalid or has expired; search again for a fresh one');
  const book = await scope.db.select().from(rulebooks).where(eq(rulebooks.id, input.id)).get();
  if (!book) throw notFound('Rulebook');
  const object = await scope.env.FILES.get(book.r2Key, { range: input.range });
  if (!object) throw notFound('Rulebook file');
  return { filename: book.filename, object };
}
