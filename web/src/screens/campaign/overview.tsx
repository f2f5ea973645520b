/** Sessions (schedule, open the table, join it) and characters (open the sheet, create one). */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import { authStore } from '../../api/auth-store';
import type { Campaign, Character, GameSession, Page } from '../../api/types';
import { navigate } from '../../router';
import { Field, ProblemNote, Section } from '../../ui/forms';
import { useAction, useApi } from '../../ui/use-api';
import { CharacterGenerator } from './character-generator';
import { Recap } from './recap';
import { RecapSearch } from './recap-search';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'not scheduled');

export function Overview({ campaign }: { campaign: Campaign }) {
  const gm = campaign.myRole === 'gm';
  const sessions = useApi<Page<GameSession>>(`/campaigns/${campaign.id}/sessions`);
  const characters = useApi<Page<Character>>(`/campaigns/${campaign.id}/characters`);
  const [title, setTitle] = useState('');
  const [name, setName] = useState('');
  const { error, run } = useAction();
  const schedule = (e: Event) => (e.preventDefault(), run(async () => {
    await api(`/campaigns/${campaign.id}/sessions`, { method: 'POST', body: { title } });
    setTitle('');
    sessions.reload();
  }));
  const start = (s: GameSession) => run(async () => {
    await api(`/sessions/${s.id}/start`, { method: 'POST' });
    navigate(`/tables/${s.id}`);
  });
  const createCharacter = (e: Event) => (e.preventDefault(), run(async () => {
    const c = await api<Character>(`/campaigns/${campaign.id}/characters`, { method: 'POST', body: { name } });
    navigate(`/campaigns/${campaign.id}/characters/${c.id}`);
  }));
  const fields = error instanceof ApiError ? error.fields : {};
  const me = authStore.user?.id;
  return (
    <>
      <ProblemNote error={error} shown={['title', 'name']} />
      <Section title="Sessions">
        <ProblemNote error={sessions.error} />
        {sessions.data && sessions.data.items.length === 0 && <p>No sessions yet.{gm ? ' Schedule one below.' : ''}</p>}
        <ul class="rows">
          {sessions.data?.items.map((s) => (
            <li key={s.id}>
              <span><strong>{s.title}</strong> <span class={`status ${s.status}`}>{s.status}</span> <span class="muted">{s.status === 'scheduled' ? when(s.scheduledFor) : s.status === 'live' ? `since ${when(s.startedAt)}` : `ended ${when(s.endedAt)}`}</span></span>
              {s.status === 'live' && <a class="button" href={`/tables/${s.id}`}>Join the table</a>}
              {s.status === 'scheduled' && gm && <button type="button" onClick={() => start(s)}>Start “{s.title}”</button>}
              {s.status === 'ended' && <Recap session={s} gm={gm} onSaved={sessions.reload} />}
            </li>
          ))}
        </ul>
        {sessions.data?.items.some((s) => s.status === 'ended') && <RecapSearch campaign={campaign} />}
        {gm && (
          <form onSubmit={schedule} class="inline" noValidate>
            <Field label="New session title" value={title} onInput={setTitle} error={fields.title} required />
            <button type="submit">Schedule</button>
          </form>
        )}
      </Section>
      <Section title="Characters">
        <ProblemNote error={characters.error} />
        <ul class="rows">
          {characters.data?.items.map((c) => (
            <li key={c.id}>
              <a href={`/campaigns/${campaign.id}/characters/${c.id}`}>{c.name}</a>
              <span class="muted">Level {c.sheet.level} {c.sheet.race} {c.sheet.class}{c.ownerUserId === me ? ' · yours' : ''}</span>
            </li>
          ))}
        </ul>
        {campaign.myRole !== 'spectator' && (
          <form onSubmit={createCharacter} class="inline" noValidate>
            <Field label="New character name" value={name} onInput={setName} error={fields.name} required />
            <button type="submit">Create character</button>
          </form>
        )}
        {campaign.myRole !== 'spectator' && <CharacterGenerator campaign={campaign} />}
      </Section>
    </>
  );
}
