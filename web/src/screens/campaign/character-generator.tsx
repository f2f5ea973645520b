/**
 * A first-level character to preview: the server rolls or places the abilities (standard array, point buy,
 * 4d6 drop lowest — each die shown), sets the class's numbers and starting equipment, and the campaign's model
 * (or a labelled template) writes the name and backstory; kept with one click as a normal character.
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import type { Campaign, Character } from '../../api/types';
import type { CharacterSheet } from '../../../../src/game/character-sheet';
import { navigate } from '../../router';
import { Field, ProblemNote, SelectField } from '../../ui/forms';
import { useAction } from '../../ui/use-api';

const CLASSES = ['barbarian', 'bard', 'cleric', 'druid', 'fighter', 'monk', 'paladin', 'ranger', 'rogue', 'sorcerer', 'warlock', 'wizard'];
const METHODS = [['standard-array', 'Standard array'], ['point-buy', 'Point buy'], ['roll', 'Roll 4d6, drop the lowest']] as const;
const ABILITIES = ['str', 'dex', 'con', 'int', 'wis', 'cha'] as const;

interface Preview { name: string; sheet: CharacterSheet; rolls: { total: number; text: string }[]; label: string }

export function CharacterGenerator({ campaign }: { campaign: Campaign }) {
  const [className, setClassName] = useState('fighter');
  const [method, setMethod] = useState('standard-array');
  const [name, setName] = useState('');
  const [race, setRace] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const { error, busy, run } = useAction();
  const generate = (e: Event) => (e.preventDefault(), run(async () => {
    setPreview(await api<Preview>(`/campaigns/${campaign.id}/generate/character`, {
      method: 'POST', body: { className, method, ...(name.trim() ? { name: name.trim() } : {}), ...(race.trim() ? { race: race.trim() } : {}) },
    }));
  }));
  const keep = () => run(async () => {
    if (!preview) return;
    const saved = await api<Character>(`/campaigns/${campaign.id}/characters`, { method: 'POST', body: { name: preview.name, sheet: preview.sheet } });
    navigate(`/campaigns/${campaign.id}/characters/${saved.id}`);
  });
  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <details class="generator">
      <summary>Generate a first-level character</summary>
      <form onSubmit={generate} noValidate>
        <SelectField label="Class" value={className} onChange={setClassName} options={CLASSES} />
        <SelectField label="Ability scores" value={method} onChange={setMethod} options={METHODS} />
        <Field label="Name (optional)" value={name} onInput={setName} error={fields.name} />
        <Field label="Race (optional)" value={race} onInput={setRace} error={fields.race} />
        <button type="submit" disabled={busy}>Generate character</button>
      </form>
      <ProblemNote error={error} shown={['name', 'race']} />
      {preview && (
        <article class="lore preview" aria-label="Character preview">
          <h4>{preview.name} <span class="muted">· {preview.sheet.race} {preview.sheet.class}, level 1</span></h4>
          <p class="muted">{preview.label}</p>
          <p>{ABILITIES.map((a) => `${a.toUpperCase()} ${preview.sheet.abilities[a]}`).join(' · ')} · HP {preview.sheet.hp.max} · AC {preview.sheet.armorClass}</p>
          {preview.rolls.length > 0 && <ul class="muted">{preview.rolls.map((r, i) => <li key={i}>{r.text}</li>)}</ul>}
          <p>Equipment: {preview.sheet.inventory.map((i) => (i.quantity > 1 ? `${i.quantity} × ${i.name}` : i.name)).join(', ')}</p>
          <p class="prose">{preview.sheet.notes}</p>
          <button type="button" onClick={keep} disabled={busy}>Keep this character</button>
        </article>
      )}
    </details>
  );
}
