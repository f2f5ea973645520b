/**
 * Rules lookups for members of a campaign: search its ready rulebooks (every
 * hit cites book and page, with a signed link to the PDF page), the GM's search
 * analytics, and the PDF behind a signed link.
 */
import { and, desc, eq, gt, sql } from 'drizzle-orm';
import { newId } from '../db/client';
import { rulebooks, searchQueries } from '../db/schema';
import { forbidden, notFound } from '../lib/problem';
import { semanticBindings } from '../rules/embeddings';
import { fileLinks, verifyFileSignature } from '../rules/file-links';
import { searchRules, type SearchOptions } from '../rules/search';
import { chunksById } from '../rules/store';
import { requireMember } from './policy';
import { linkSecret } from './rulebooks';
import { callerOf, type Scope } from './scope';

/** A rules search: the question and the search options (limit, filters, explain, understanding). */
export type RulesQuery = SearchOptions & { q: string };

export async function searchCampaignRules(scope: Scope, campaignId: string, input: RulesQuery) {
  const member = await requireMember(scope, campaignId);
  const started = Date.now();
  const { q, ...options } = input;
  const result = await searchRules(scope.env.DB, member.campaign.id, q, options, semanticBindings(scope.env));
  const link = await fileLinks(linkSecret(scope), result.hits.map((h) => h.rulebookId));
  const hits = result.hits.map(({ chunkId, ...h }) => ({ passageId: chunkId, ...h, url: link(h.rulebookId, h.page) }));
  // Recorded before answering, so the GM's analytics include every search.
  await scope.db.insert(searchQueries).values({
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
 * A rules question answered from the books: the sentences that answer it from the best passages, each with
 * its citation (`[book p.N]`) and a link to the page, or "the books don't say" when nothing matches. Extractive:
 * nothing is said that the books do not say (a model-written answer over the same passages comes with the narrator).
 */
export async function answerRulesQuestion(scope: Scope, campaignId: string, input: { question: string }) {
  const found = await searchCampaignRules(scope, campaignId, { q: input.question, limit: 5 });
  // At most three passages, and only those close to the best (a weak third match adds noise, not an answer).
  const best = found.hits[0]?.score ?? 0;
  const used = found.hits.filter((h, i) => i === 0 || h.score >= best * 0.6).slice(0, 3);
  if (used.length === 0) return { question: input.question, answer: "The books don't say: no passage of this campaign's rulebooks matches the question.", citations: [], mode: 'extractive' as const };
  const cite = (h: (typeof used)[number]) => `[${h.rulebookTitle} p.${h.page}]`;
  return {
    question: input.question,
    answer: used.map((h) => `${plainSnippet(h.snippet).replace(/\n/g, ' ')} ${cite(h)}`).join('\n\n'),
    citations: used.map((h) => ({ citation: cite(h), rulebookTitle: h.rulebookTitle, page: h.page, headingPath: h.headingPath, passageId: h.passageId, url: h.url, attribution: h.attribution })),
    mode: 'extractive' as const,
  };
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
