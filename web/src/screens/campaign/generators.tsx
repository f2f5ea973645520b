/**
 * The GM's generators: an NPC, a location or an encounter to preview (written by the campaign's model or a
 * labelled template; encounters rated by the server from the rulebooks' stat blocks), kept with one click as a
 * normal record (an NPC, a location, a GM-only note).
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import type { Campaign, EncounterPreview, LorePreview } from '../../api/types';
import { Field, ProblemNote, SelectField, Section } from '../../ui/forms';
import { useAction } from '../../ui/use-api';

function Kept({ what }: { what: string | null }) {
  return what ? <p role="status">Kept: {what}.</p> : null;
}

function LoreGenerator({ campaign, kind }: { campaign: Campaign; kind: 'npc' | 'location' }) {
  const [first, setFirst] = useState('');
  const [idea, setIdea] = useState('');
  const [preview, setPreview] = useState<LorePreview | null>(null);
  const [kept, setKept] = useState<string | null>(null);
  const { error, busy, run } = useAction();
  const noun = kind === 'npc' ? 'NPC' : 'location';
  const generate = (e: Event) => (e.preventDefault(), run(async () => {
    setKept(null);
    const body = { ...(first.trim() ? { [kind === 'npc' ? 'role' : 'kind']: first.trim() } : {}), ...(idea.trim() ? { idea: idea.trim() } : {}) };
    setPreview(await api<LorePreview>(`/campaigns/${campaign.id}/generate/${kind}`, { method: 'POST', body }));
  }));
  const keep = () => run(async () => {
    if (!preview) return;
    await api(preview.accept.path, { method: 'POST', body: { name: preview.name, visibility: preview.visibility, data: preview.data, gmOnly: preview.gmOnly } });
    setKept(`${preview.name} is in the campaign's lore`);
    setPreview(null);
  });
  const fields = error instanceof ApiError ? error.fields : {};
  const personality = preview?.data.personality as { traits?: string[]; voice?: string } | undefined;
  return (
    <div class="generator">
      <h3>{kind === 'npc' ? 'An NPC' : 'A location'}</h3>
      <form onSubmit={generate} noValidate>
        <Field label={kind === 'npc' ? 'Role (optional)' : 'Kind of place (optional)'} value={first} onInput={setFirst} error={fields.role ?? fields.kind} />
        <Field label={`Idea for the ${noun} (optional)`} value={idea} onInput={setIdea} error={fields.idea} />
        <button type="submit" disabled={busy}>Generate {noun}</button>
      </form>
      <ProblemNote error={error} shown={['role', 'kind', 'idea']} />
      <Kept what={kept} />
      {preview && (
        <article class="lore preview" aria-label={`${noun} preview`}>
          <h4>{preview.name}</h4>
          <p class="muted">{preview.label}</p>
          <p class="prose">{String(preview.data.description ?? '')}</p>
          {personality?.voice && <p>Voice: {personality.voice}</p>}
          <div class="gm-only"><p class="badge gm">GM only</p><p class="prose">{[preview.gmOnly.motivation, ...((preview.gmOnly.secrets as string[]) ?? [])].filter(Boolean).join(' · ')}</p></div>
          <button type="button" onClick={keep} disabled={busy}>Keep this {noun}</button>
        </article>
      )}
    </div>
  );
}

function EncounterGenerator({ campaign }: { campaign: Campaign }) {
  const [difficulty, setDifficulty] = useState('medium');
  const [levels, setLevels] = useState('');
  const [type, setType] = useState('');
  const [preview, setPreview] = useState<EncounterPreview | null>(null);
  const [kept, setKept] = useState<string | null>(null);
  const { error, busy, run } = useAction();
  const generate = (e: Event) => (e.preventDefault(), run(async () => {
    setKept(null);
    const partyLevels = levels.split(/[\s,]+/).filter(Boolean).map(Number);
    setPreview(await api<EncounterPreview>(`/campaigns/${campaign.id}/generate/encounter`, {
      method: 'POST', body: { difficulty, ...(partyLevels.length ? { partyLevels } : {}), ...(type.trim() ? { creatureType: type.trim() } : {}) },
    }));
  }));
  const keep = () => run(async () => {
    if (!preview) return;
    await api(`/campaigns/${campaign.id}/notes`, { method: 'POST', body: preview.note });
    setKept(`“${preview.note.title}” is a GM-only note`);
    setPreview(null);
  });
  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <div class="generator">
      <h3>An encounter</h3>
      <form onSubmit={generate} noValidate>
        <SelectField label="Difficulty" value={difficulty} onChange={setDifficulty} options={['easy', 'medium', 'hard', 'deadly']} />
        <Field label="Party levels (optional)" hint="e.g. 3, 3, 4 — otherwise the player characters' levels" value={levels} onInput={setLevels} error={fields.partyLevels ?? Object.entries(fields).find(([k]) => k.startsWith('partyLevels'))?.[1]} />
        <Field label="Creature type (optional)" hint="e.g. undead, beast" value={type} onInput={setType} error={fields.creatureType} />
        <button type="submit" disabled={busy}>Generate encounter</button>
      </form>
      <ProblemNote error={error} shown={['partyLevels', 'creatureType']} />
      <Kept what={kept} />
      {preview && (
        <article class="lore preview" aria-label="Encounter preview">
          <h4>{preview.title}</h4>
          <p><strong class="rating">{preview.rating}</strong> for levels {preview.partyLevels.join(', ')} · {preview.xp.adjusted} adjusted XP ({preview.xp.raw} × {preview.xp.multiplier}) <span class="muted">· {preview.label}</span></p>
          <ul>
            {preview.monsters.map((m) => (
              <li key={m.name}>
                {m.count} × {m.name} (CR {m.cr}{m.armorClass ? `, AC ${m.armorClass}` : ''}{m.hitPoints ? `, HP ${m.hitPoints}` : ''})
                {m.source && <> · <a href={m.source.url} target="_blank" rel="noopener">p. {m.source.page}</a></>}
              </li>
            ))}
          </ul>
          <p class="prose">{preview.setup}</p>
          <p class="prose muted">{preview.tactics}</p>
          <button type="button" onClick={keep} disabled={busy}>Keep as a GM note</button>
        </article>
      )}
    </div>
  );
}

export function Generators({ campaign }: { campaign: Campaign }) {
  return (
    <Section title="Generators">
      <LoreGenerator campaign={campaign} kind="npc" />
      <LoreGenerator campaign={campaign} kind="location" />
      <EncounterGenerator campaign={campaign} />
    </Section>
  );
}
