/** A campaign with a live session and a player character, for the table tests. */
import { expect } from 'vitest';
import { call, setUpTable, type Table } from './api';

export interface LiveTable extends Table {
  sessionId: string;
  tamsinId: string;
}

export async function liveTable(sheet: Record<string, unknown> = { abilities: { dex: 14 }, hp: { max: 17, current: 17 }, armorClass: 12 }): Promise<LiveTable> {
  const t = await setUpTable();
  const session = await call('POST', `/api/campaigns/${t.campaignId}/sessions`, { token: t.gm.token, body: { title: 'Session 1' } });
  const started = await call('POST', `/api/sessions/${session.body.id}/start`, { token: t.gm.token });
  expect(started.body.status).toBe('live');
  const pc = await call('POST', `/api/campaigns/${t.campaignId}/characters`, { token: t.player.token, body: { name: 'Tamsin', sheet } });
  expect(pc.status).toBe(201);
  return { ...t, sessionId: session.body.id, tamsinId: pc.body.id };
}
