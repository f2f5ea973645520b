/** Dice and the live table: rolls, sessions, their logs, posting into a running table, combat. */
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import { ClientMessageSchema, type ClientMessage } from '../../session/protocol';
import { validationError } from '../../lib/problem';
import { rollDice } from '../../services/dice';
import { listSessions, postToSession, sessionHistory, startSession } from '../../services/sessions';
import type { Scope } from '../../services/scope';
import { defineTool } from '../tool';

const id = z.string().uuid();
const loose = z.looseObject({});
const events = z.object({ events: z.array(loose) });
/** A table action from a tool's arguments, checked by the same schema as a WebSocket frame. */
const action = (message: Record<string, unknown>): ClientMessage => {
  const parsed = ClientMessageSchema.safeParse(message);
  if (!parsed.success) throw validationError(parsed.error.issues, 'arguments', 'The table action is incomplete or invalid');
  return parsed.data;
};
const posted = (list: unknown) => ({ events: list as Record<string, unknown>[] });
const visibility = z.enum(['public', 'gm', 'blind', 'self']).default('public').describe('public: everyone sees it; gm: only you and the GM; blind: only the GM (you see that you rolled); self: only you');

export function registerTableTools(server: McpServer, scope: Scope): void {
  defineTool(server, scope, 'roll_dice', {
    title: 'Roll dice',
    description: 'Rolls dice with the server\'s dice (never invent a result). Notation: 1d20+5, 2d20kh1+5 (advantage), 4d6dl1, 8d6, a label after # (1d20+3 # Stealth), exploding 1d6!, rerolls 2d6r1, successes 10d10>=8. Returns every die, which were kept or dropped, and the total. To roll at a live table so everyone sees it, use post_to_session.',
    input: z.object({ expression: z.string().trim().min(1).max(200) }),
    output: z.looseObject({ notation: z.string(), total: z.number(), text: z.string() }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    summary: (out) => out.text,
    run: async ({ expression }) => (await rollDice(scope, { expression })) as unknown as { notation: string; total: number; text: string },
  });

  defineTool(server, scope, 'list_sessions', {
    title: 'List game sessions',
    description: "The campaign's game sessions: scheduled, live (a table is running) or ended.",
    input: z.object({ campaignId: id, status: z.enum(['scheduled', 'live', 'ended']).optional() }),
    output: z.object({ items: z.array(loose) }),
    annotations: { readOnlyHint: true },
    run: async ({ campaignId, status }) => ({ items: await listSessions(scope, campaignId, { status }) as unknown as Record<string, unknown>[] }),
  });

  defineTool(server, scope, 'start_session', {
    title: 'Start a session',
    description: 'Opens the live table of a scheduled session (GM): players can then join from the browser, and post_to_session works.',
    input: z.object({ sessionId: id }),
    output: loose,
    run: async ({ sessionId }) => (await startSession(scope, sessionId)) as unknown as Record<string, unknown>,
  });

  defineTool(server, scope, 'get_session_log', {
    title: 'Read a session log',
    description: "A session's table log: chat, rolls, initiative and notes, oldest first, as you may see them (the GM's hidden rolls and others' whispers are left out for players). Page with `after` (the last seq you read).",
    input: z.object({ sessionId: id, after: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(200).default(100) }),
    output: loose,
    annotations: { readOnlyHint: true },
    run: async ({ sessionId, after, limit }) => (await sessionHistory(scope, sessionId, { after, limit })) as unknown as Record<string, unknown>,
  });

  defineTool(server, scope, 'post_to_session', {
    title: 'Chat or roll at a live table',
    description: 'Posts into a running session as you: a chat line (in or out of character) or a dice roll that everyone at the table sees (or only the GM, with visibility). The session must be live (list_sessions).',
    input: z.object({
      sessionId: id,
      kind: z.enum(['chat', 'roll']),
      text: z.string().trim().min(1).max(2000).optional().describe('The chat line (kind "chat")'),
      mode: z.enum(['ic', 'ooc']).default('ooc').describe('In character or out of character (chat)'),
      expression: z.string().trim().min(1).max(200).optional().describe('The dice (kind "roll"), e.g. "2d20kh1+5 # Stealth"'),
      visibility,
      characterId: id.optional().describe('Speak or roll as this character of yours'),
    }),
    output: events,
    run: async ({ sessionId, kind, text, mode, expression, visibility: seen, characterId }) => posted(await postToSession(scope, sessionId, action(kind === 'chat'
      ? { type: 'chat', text, mode, characterId }
      : { type: 'roll', expression, visibility: seen, characterId }))),
  });

  defineTool(server, scope, 'add_combatant', {
    title: 'Add a combatant',
    description: 'Adds a character or monster to the live table\'s initiative (GM for monsters; players for their own character). Without a fixed initiative, d20 + bonus is rolled by the server. count > 1 adds a group on one roll ("Goblin 1…n").',
    input: z.object({
      sessionId: id, kind: z.enum(['character', 'monster']), characterId: id.optional(), name: z.string().trim().min(1).max(80).optional(),
      initiative: z.number().int().min(-20).max(100).optional(), bonus: z.number().int().min(-20).max(40).default(0),
      hpMax: z.number().int().min(1).max(100_000).optional(), armorClass: z.number().int().min(0).max(60).optional(), count: z.number().int().min(1).max(20).default(1),
    }),
    output: events,
    run: async ({ sessionId, hpMax, ...rest }) => posted(await postToSession(scope, sessionId, action({ type: 'initiative.add', ...rest, hp: hpMax ? { max: hpMax } : undefined }))),
  });

  defineTool(server, scope, 'start_combat', {
    title: 'Start combat',
    description: 'Starts combat at the live table (GM): the initiative order is fixed and the first combatant\'s turn begins. Add combatants first.',
    input: z.object({ sessionId: id }),
    output: events,
    run: async ({ sessionId }) => posted(await postToSession(scope, sessionId, action({ type: 'initiative.start' }))),
  });

  defineTool(server, scope, 'next_turn', {
    title: 'Next turn',
    description: 'Ends the current turn and starts the next combatant\'s (the GM, or the player whose turn it is); a new round begins after the last.',
    input: z.object({ sessionId: id }),
    output: events,
    run: async ({ sessionId }) => posted(await postToSession(scope, sessionId, action({ type: 'initiative.next' }))),
  });
}
