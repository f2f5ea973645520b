/**
 * What the narrator remembers: the campaign's facts (deaths, promises, discoveries; the GM adds, retracts and
 * keeps some GM-only) and, for a player, what it keeps about them — which they can wipe.
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import { authStore } from '../../api/auth-store';
import type { Campaign, Page } from '../../api/types';
import { CheckField, Field, ProblemNote, SelectField, Section } from '../../ui/forms';
import { useAction, useApi } from '../../ui/use-api';

interface Fact { id: string; kind: string; text: string; visibility: 'party' | 'gm'; source: string; status: string }
interface Profile { profile: { actions: number; interests: Record<string, number>; failureRate: number | null; stuck: { check: string; times: number }[] }; note: string | null; resetAt: string | null }

function Facts({ campaign }: { campaign: Campaign }) {
  const gm = campaign.myRole === 'gm';
  const facts = useApi<Page<Fact>>(`/campaigns/${campaign.id}/facts`, { status: 'active' });
  const [text, setText] = useState('');
  const [kind, setKind] = useState('promise');
  const [secret, setSecret] = useState(false);
  const { error, busy, run } = useAction();
  const add = (e: Event) => (e.preventDefault(), run(async () => {
    await api(`/campaigns/${campaign.id}/facts`, { method: 'POST', body: { kind, text, visibility: secret ? 'gm' : 'party' } });
    setText('');
    facts.reload();
  }));
  const retract = (f: Fact) => run(async () => {
    await api(`/campaigns/${campaign.id}/facts/${f.id}`, { method: 'PATCH', body: { status: 'retracted' } });
    facts.reload();
  });
  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <Section title="What the campaign remembers">
      <ProblemNote error={facts.error} />
      {facts.data?.items.length === 0 && <p class="muted">Nothing yet: facts are picked from each session's log when it ends{gm ? ', or added here' : ''}.</p>}
      <ul class="rows">
        {facts.data?.items.map((f) => (
          <li key={f.id}>
            <span><span class="badge">{f.kind}</span> {f.text} {f.visibility === 'gm' && <span class="badge gm">GM only</span>}</span>
            {gm && <button type="button" class="small" onClick={() => retract(f)} disabled={busy}>Retract<span class="sr-only"> “{f.text}”</span></button>}
          </li>
        ))}
      </ul>
      {gm && (
        <form onSubmit={add} noValidate>
          <SelectField label="Kind" value={kind} onChange={setKind} options={['death', 'promise', 'discovery', 'other']} />
          <Field label="A fact to remember" value={text} onInput={setText} error={fields.text} />
          <CheckField label="GM only" checked={secret} onChange={setSecret} />
          <button type="submit" disabled={busy}>Remember this</button>
        </form>
      )}
      <ProblemNote error={error} shown={['text']} />
    </Section>
  );
}

function MyProfile({ campaign }: { campaign: Campaign }) {
  const me = authStore.user?.id;
  const profile = useApi<Profile>(me ? `/campaigns/${campaign.id}/players/${me}/profile` : null);
  const { error, busy, run } = useAction();
  const reset = () => run(async () => {
    await api(`/campaigns/${campaign.id}/profile/reset`, { method: 'POST' });
    profile.reload();
  });
  const p = profile.data?.profile;
  return (
    <Section title="What the narrator keeps about you">
      <ProblemNote error={profile.error ?? error} />
      {p && (
        <>
          <p>{p.actions} actions at the table{profile.data?.resetAt ? ` since you reset it on ${new Date(profile.data.resetAt).toLocaleDateString()}` : ''}.</p>
          {Object.keys(p.interests).length > 0 && <p>What you seem to enjoy: {Object.entries(p.interests).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} (${n})`).join(', ')}</p>}
          {p.stuck.length > 0 && <p>Where you have been stuck: {p.stuck.map((s) => `${s.check} (${s.times}×)`).join(', ')}</p>}
          {profile.data?.note && <p class="muted">The narrator reads: “{profile.data.note}”</p>}
          <button type="button" onClick={reset} disabled={busy}>Forget what it keeps about me</button>
        </>
      )}
    </Section>
  );
}

export function Memory({ campaign }: { campaign: Campaign }) {
  return (
    <>
      <Facts campaign={campaign} />
      {campaign.myRole !== 'spectator' && campaign.myRole !== 'gm' && <MyProfile campaign={campaign} />}
    </>
  );
}
