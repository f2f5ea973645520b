/**
 * The MCP server for one request: every tool, prompt and resource, bound to the
 * caller's scope. Built per request by the handler's factory, so nothing of
 * one caller survives into another's call.
 */
import { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { Scope } from '../services/scope';
import { registerResources } from './resources';
import { registerCampaignTools } from './tools/campaign';
import { registerNarratorTools } from './tools/narrator';
import { registerRulesTools } from './tools/rules';
import { registerTableTools } from './tools/table';
import { defineTool } from './tool';

export const SERVER_INFO = { name: 'lorekeeper', title: 'Lorekeeper', version: '0.1.0' };

const INSTRUCTIONS = 'Lorekeeper runs tabletop RPG campaigns: rulebooks with page citations, characters, NPCs, notes with history, live tables with server-side dice. '
  + 'Start with list_campaigns. Never invent dice results: use roll_dice or post_to_session. Cite rulebook pages from search_rules hits.';

export function buildServer(scope: Scope, origin: string): McpServer {
  const server = new McpServer(SERVER_INFO, { instructions: INSTRUCTIONS });
  registerRulesTools(server, scope, origin);
  registerCampaignTools(server, scope);
  registerTableTools(server, scope);
  registerNarratorTools(server, scope);
  defineTool(server, scope, 'server_info', {
    title: 'About this server',
    description: 'Who you are signed in as, this server\'s version, and where its REST API and documentation are.',
    input: z.object({}),
    output: z.object({ server: z.string(), version: z.string(), userId: z.string(), api: z.string(), docs: z.string() }),
    annotations: { readOnlyHint: true },
    run: async () => ({ server: SERVER_INFO.name, version: SERVER_INFO.version, userId: scope.principal!.userId, api: new URL('/api', origin).href, docs: new URL('/docs', origin).href }),
  });
  registerPrompts(server);
  registerResources(server, scope, origin);
  return server;
}

/** Prompts for common GM tasks: they tell the assistant which tools to use, in order. */
function registerPrompts(server: McpServer): void {
  const campaign = z.object({ campaignId: z.string().uuid().describe('The campaign (list_campaigns)') });
  const say = (text: string) => ({ messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }] });
  server.registerPrompt('prepare_session', { title: 'Prepare the next session', description: 'Plan the next session from the open plot threads, recent notes and the characters.', argsSchema: campaign },
    ({ campaignId }) => say(`Prepare the next session of campaign ${campaignId}. Use get_campaign, search_campaign (open plot threads, recent notes), get_character for the party and list_npcs. Propose three scenes with the NPCs involved, a possible combat (check monsters with search_rules) and hooks from the open threads. Cite rule pages.`));
  server.registerPrompt('summarise_last_session', { title: 'Summarise the last session', description: 'A recap of the last session from its table log.', argsSchema: campaign },
    ({ campaignId }) => say(`Summarise the most recent session of campaign ${campaignId}: find it with list_sessions, read it with get_session_log, and write a recap of what happened, who did what, and loose ends. Offer to save it with add_note (category "recap").`));
  server.registerPrompt('build_encounter', { title: 'Build a balanced encounter', description: 'An encounter for the party from the rulebooks\' monsters.', argsSchema: campaign.extend({ difficulty: z.enum(['easy', 'medium', 'hard', 'deadly']).default('medium') }) },
    ({ campaignId, difficulty }) => say(`Build a ${difficulty} encounter for the party of campaign ${campaignId}. Call generate_encounter (difficulty ${difficulty}; the server reads the party's levels, picks monsters from the rulebooks' stat blocks and rates them by the XP thresholds — never recompute its numbers), read the cited pages with search_rules if you need more, then propose terrain and tactics. Keep it with add_note only if asked, and add the monsters at a live table with add_combatant only if asked.`));
}
