/** Rulebooks and rules questions: search with page links, the campaign's sources, adding one, checking homebrew text. */
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import { CONTENT_TYPES } from '../../rules/classify';
import { MAX_QUERY_LENGTH } from '../../rules/query';
import { checkContent } from '../../services/content-check';
import { listRulebooks } from '../../services/rulebooks';
import { answerRulesQuestion, plainSnippet, searchCampaignRules } from '../../services/rules';
import type { Scope } from '../../services/scope';
import { defineTool } from '../tool';

const id = z.string().uuid();
const loose = z.looseObject({});

export function registerRulesTools(server: McpServer, scope: Scope, origin: string): void {
  defineTool(server, scope, 'search_rules', {
    title: 'Search the rulebooks',
    description: "Search a campaign's rulebooks (PDFs the group uploaded, e.g. the SRD) for a rule, spell, monster, item or condition. Ask in plain words ('how does grappling work', 'fireball damage'). Each hit cites its book and page, shows the answering sentences with matched words in <mark>, has a link that opens the PDF at that page, and a resource URI to read the whole passage. Filter by rulebook, source type or content type when you know them.",
    input: z.object({
      campaignId: id.describe('The campaign whose rulebooks to search (list_campaigns gives ids)'),
      query: z.string().trim().min(1).max(MAX_QUERY_LENGTH).describe('The question or keywords'),
      limit: z.number().int().min(1).max(20).default(5),
      rulebookId: id.optional(),
      sourceType: z.enum(['rules', 'lore']).optional(),
      contentType: z.enum(CONTENT_TYPES).optional(),
    }),
    output: z.object({
      query: z.string(),
      hits: z.array(z.looseObject({ passageId: z.number(), resource: z.string(), rulebookTitle: z.string(), page: z.number(), headingPath: z.array(z.string()), contentType: z.string(), snippet: z.string(), url: z.string() })),
      didYouMean: z.string().nullable(),
    }),
    annotations: { readOnlyHint: true },
    summary: (out) => (out.hits.length ? out.hits.map((h, i) => `${i + 1}. ${h.rulebookTitle} p. ${h.page} — ${h.headingPath.join(' › ')}: ${plainSnippet(h.snippet)}`).join('\n') : 'No passage matched.'),
    run: async ({ campaignId, query, limit, rulebookId, sourceType, contentType }) => {
      const result = await searchCampaignRules(scope, campaignId, { q: query, limit, rulebookId, sourceType, contentType });
      return {
        query: result.query, didYouMean: result.didYouMean,
        hits: result.hits.map((h) => ({ ...h, resource: `lorekeeper://campaigns/${campaignId}/passages/${h.passageId}`, url: new URL(h.url, origin).href })),
      };
    },
  });

  defineTool(server, scope, 'answer_rules_question', {
    title: 'Answer a rules question',
    description: "Answers a rules question from the campaign's rulebooks and the GM's house rules (which win over the books), each statement cited [book p.N] (with a link to the page) or [House rule: title]; says \"the books don't say\" when nothing matches. Quote or paraphrase these; do not add rules the sources do not state.",
    input: z.object({ campaignId: id, question: z.string().trim().min(1).max(MAX_QUERY_LENGTH) }),
    output: z.object({ question: z.string(), answer: z.string(), mode: z.string(), label: z.string().nullable(), citations: z.array(z.looseObject({ citation: z.string(), kind: z.enum(['book', 'house-rule']), page: z.number().optional(), url: z.string().optional() })) }),
    annotations: { readOnlyHint: true },
    summary: (out) => out.answer,
    run: async ({ campaignId, question }) => {
      const out = await answerRulesQuestion(scope, campaignId, { question });
      return { ...out, citations: out.citations.map((c) => (c.kind === 'book' ? { ...c, url: new URL(c.url, origin).href } : c)) };
    },
  });

  defineTool(server, scope, 'list_sources', {
    title: 'List rulebooks',
    description: "The campaign's rulebooks and lore books with their ingestion status (a book is searchable once ready).",
    input: z.object({ campaignId: id }),
    output: z.object({ items: z.array(loose) }),
    annotations: { readOnlyHint: true },
    run: async ({ campaignId }) => ({ items: await listRulebooks(scope, campaignId) as Record<string, unknown>[] }),
  });

  defineTool(server, scope, 'add_source', {
    title: 'How to add a rulebook',
    description: 'Explains how to add a rulebook PDF to a campaign (GM only): the upload URL and the request to send. MCP cannot carry the file itself; upload it with the returned request (curl or any HTTP client), then watch list_sources until it is ready.',
    input: z.object({ campaignId: id, title: z.string().trim().min(1).max(200).optional() }),
    output: z.object({ uploadUrl: z.string(), method: z.literal('POST'), headers: z.record(z.string(), z.string()), instructions: z.string() }),
    annotations: { readOnlyHint: true },
    run: async ({ campaignId, title }) => {
      await listRulebooks(scope, campaignId);
      const url = new URL(`/api/campaigns/${campaignId}/rulebooks`, origin);
      if (title) url.searchParams.set('title', title);
      return {
        uploadUrl: url.href, method: 'POST' as const,
        headers: { authorization: 'Bearer <your API key>', 'content-type': 'application/pdf' },
        instructions: `curl -X POST '${url.href}' -H 'authorization: Bearer lk_…' -H 'content-type: application/pdf' --data-binary @book.pdf — the answer (202) has the rulebook id; ingestion runs in the background (GM only, up to 200 MB).`,
      };
    },
  });

  defineTool(server, scope, 'check_content', {
    title: 'Check homebrew text against the rulebooks',
    description: "Finds spells, monsters, items and conditions named in a text and checks them against the campaign's rulebooks: known names with their defining pages, near-misses (likely misspellings) and unknown names.",
    input: z.object({ campaignId: id, text: z.string().min(1).max(50_000) }),
    output: loose,
    annotations: { readOnlyHint: true },
    run: async ({ campaignId, text }) => (await checkContent(scope, campaignId, { text })) as Record<string, unknown>,
  });
}
