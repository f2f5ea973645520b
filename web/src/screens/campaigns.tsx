/** Your campaigns, and a form to start a new one (you become its GM). */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { Campaign, Page } from '../api/types';
import { navigate } from '../router';
import { Field, ProblemNote, Section } from '../ui/forms';
import { useAction, useApi } from '../ui/use-api';

const ROLE: Record<string, string> = { gm: 'Game master', player: 'Player', spectator: 'Spectator' };

export function Campaigns() {
  const { data, error, loading } = useApi<Page<Campaign>>('/campaigns');
  const [name, setName] = useState('');
  const [setting, setSetting] = useState('');
  const { error: createError, run } = useAction();
  const create = (e: Event) => (e.preventDefault(), run(async () => {
    const campaign = await api<Campaign>('/campaigns', { method: 'POST', body: { name, setting } });
    navigate(`/campaigns/${campaign.id}`);
  }));
  const fields = createError instanceof ApiError ? createError.fields : {};
  return (
    <div class="page">
      <h1 tabIndex={-1}>Your campaigns</h1>
      {loading && <p aria-busy="true">Loading…</p>}
      <ProblemNote error={error} />
      {data && (data.items.length === 0
        ? <p>No campaigns yet. Start one below, or <a href="/join">join one with an invite code</a>.</p>
        : (
          <ul class="cards">
            {data.items.map((c) => (
              <li key={c.id} class="card">
                <h2><a href={`/campaigns/${c.id}`}>{c.name}</a></h2>
                <p class="muted">{ROLE[c.myRole]} · {c.gameSystem}{c.setting ? ` · ${c.setting}` : ''}</p>
                {c.description && <p>{c.description}</p>}
              </li>
            ))}
          </ul>
        ))}
      <Section title="Start a campaign">
        <form onSubmit={create} noValidate>
          <Field label="Name" value={name} onInput={setName} error={fields.name} required />
          <Field label="Setting" value={setting} onInput={setSetting} error={fields.setting} hint="Optional, e.g. “The Sword Coast”" />
          <ProblemNote error={createError} shown={['name', 'setting']} />
          <button type="submit">Create campaign</button>
        </form>
      </Section>
    </div>
  );
}
