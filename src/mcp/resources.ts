/**
 * Resources: a rulebook passage (from a search hit's `passageId`) and a
 * campaign note, each read through its service, so the same permissions
 * apply as to the tools and the REST API. Templates only: there is no
 * listing of every passage of every book.
 */
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/server';
import { ProblemError } from '../lib/problem';
import { getNote } from '../services/notes';
import { getPassage } from '../services/rules';
import type { Scope } from '../services/scope';
import { describeProblem } from './result';

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads through a service; a problem (not found, forbidden) becomes the resource error the client sees. */
async function read(uri: URL, work: () => Promise<{ text: string; mimeType: string }>) {
  try {
    const { text, mimeType } = await work();
    return { contents: [{ uri: uri.href, mimeType, text }] };
  } catch (err) {
    if (err instanceof ProblemError) throw new Error(describeProblem(err));
    throw err;
  }
}

export function registerResources(server: McpServer, scope: Scope, origin: string): void {
  server.registerResource('rulebook-passage', new ResourceTemplate('lorekeeper://campaigns/{campaignId}/passages/{passageId}', { list: undefined }), {
    title: 'Rulebook passage',
    description: 'One passage of a campaign rulebook with its book, page, heading path and a link that opens the PDF at the page (passageId comes from search_rules hits).',
    mimeType: 'text/markdown',
  }, (uri, vars) => read(uri, async () => {
    const campaignId = one(vars.campaignId);
    const passageId = Number(one(vars.passageId));
    if (!UUID.test(campaignId) || !Number.isSafeInteger(passageId) || passageId < 1) throw new ProblemError(404, 'Passage not found');
    const p = await getPassage(scope, campaignId, passageId);
    const link = new URL(p.url, origin).href;
    return { mimeType: 'text/markdown', text: `# ${p.headingPath.join(' › ')}\n\n${p.text}\n\n— ${p.rulebookTitle}, page ${p.page} (${link})${p.attribution ? `\n\n${p.attribution}` : ''}` };
  }));

  server.registerResource('campaign-note', new ResourceTemplate('lorekeeper://campaigns/{campaignId}/notes/{noteId}', { list: undefined }), {
    title: 'Campaign note',
    description: 'A campaign note you may read (session notes, loot, quests, recaps).',
    mimeType: 'text/markdown',
  }, (uri, vars) => read(uri, async () => {
    const campaignId = one(vars.campaignId);
    const noteId = one(vars.noteId);
    if (!UUID.test(campaignId) || !UUID.test(noteId)) throw new ProblemError(404, 'Note not found');
    const note = await getNote(scope, campaignId, noteId);
    return { mimeType: 'text/markdown', text: `# ${note.title}\n\n${note.body}` };
  }));
}
