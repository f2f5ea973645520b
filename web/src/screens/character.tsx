/**
 * The character sheet editor. Every change is checked against the server's
 * own sheet schema as you type (messages next to the field), and the server's
 * answer (a 400 naming fields, a 409 when someone saved a newer version) is
 * shown in place too. Saving sends the version you edited.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, fieldErrors } from '../api/client';
import type { Character, CharacterSheet } from '../api/types';
import { CharacterSheetSchema, SKILL_ABILITIES, abilityModifier } from '../../../src/game/character-sheet';
import { Field, ProblemNote, Section } from '../ui/forms';
import { useApi } from '../ui/use-api';

const ABILITIES = [['str', 'Strength'], ['dex', 'Dexterity'], ['con', 'Constitution'], ['int', 'Intelligence'], ['wis', 'Wisdom'], ['cha', 'Charisma']] as const;
const PROFICIENCY = ['none', 'half', 'proficient', 'expertise'] as const;

type Draft = { name: string; sheet: Record<string, unknown> };

/** Sets `sheet.a.b` = value in a copy. Numbers typed into number fields stay numbers (NaN for junk, which the schema names). */
function setPath(sheet: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  const copy = { ...sheet };
  copy[head!] = rest.length ? setPath({ ...(sheet[head!] as Record<string, unknown>) }, rest, value) : value;
  return copy;
}

function validate(draft: Draft): Record<string, string> {
  const out: Record<string, string> = {};
  if (!draft.name.trim()) out.name = 'Give the character a name';
  else if (draft.name.length > 120) out.name = 'At most 120 characters';
  const parsed = CharacterSheetSchema.safeParse(draft.sheet);
  if (!parsed.success) for (const issue of parsed.error.issues) out[['sheet', ...issue.path].join('.')] ??= issue.message;
  return out;
}

export function CharacterEditor({ campaignId, characterId }: { campaignId: string; characterId: string }) {
  const { data, error, reload } = useApi<Character>(`/campaigns/${campaignId}/characters/${characterId}`);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [serverError, setServerError] = useState<unknown>(null);
  const [saved, setSaved] = useState('');
  useEffect(() => {
    if (data) setDraft({ name: data.name, sheet: data.sheet as unknown as Record<string, unknown> });
  }, [data]);
  const local = useMemo(() => (draft ? validate(draft) : {}), [draft]);
  const server = serverError instanceof ApiError ? serverError.fields : {};
  const errors = { ...server, ...local };
  if (error) return <div class="page"><h1 tabIndex={-1}>Character</h1><ProblemNote error={error} /></div>;
  if (!data || !draft) return <div class="page"><h1 tabIndex={-1}>Character</h1><p aria-busy="true">Loading…</p></div>;
  const sheet = draft.sheet as unknown as CharacterSheet;
  const edit = (path: string[], value: unknown) => {
    setSaved('');
    setServerError(null);
    setDraft({ ...draft, sheet: setPath(draft.sheet, path, value) });
  };
  const num = (path: string[]) => (v: string) => edit(path, v.trim() === '' ? Number.NaN : Number(v));
  const save = async (e: Event) => {
    e.preventDefault();
    if (Object.keys(local).length) return setServerError(null);
    try {
      const updated = await api<Character>(`/campaigns/${campaignId}/characters/${characterId}`, { method: 'PATCH', body: { name: draft.name, sheet: draft.sheet, version: data.version } });
      setSaved(`Saved (version ${updated.version}).`);
      reload();
    } catch (err) {
      setServerError(err);
    }
  };
  const invalid = Object.keys(local).length > 0;
  return (
    <div class="page">
      <h1 tabIndex={-1}>{draft.name || 'Character'}</h1>
      <p><a href={`/campaigns/${campaignId}`}>Back to the campaign</a></p>
      <form onSubmit={save} noValidate class="sheet">
        <Section title="Who">
          <div class="grid">
            <Field label="Name" value={draft.name} onInput={(v) => (setSaved(''), setDraft({ ...draft, name: v }))} error={errors.name} required />
            <Field label="Class" value={sheet.class} onInput={(v) => edit(['class'], v)} error={errors['sheet.class']} />
            <Field label="Subclass" value={sheet.subclass} onInput={(v) => edit(['subclass'], v)} error={errors['sheet.subclass']} />
            <Field label="Race" value={sheet.race} onInput={(v) => edit(['race'], v)} error={errors['sheet.race']} />
            <Field label="Background" value={sheet.background} onInput={(v) => edit(['background'], v)} error={errors['sheet.background']} />
            <Field label="Level" type="number" min={1} max={30} value={Number.isNaN(sheet.level) ? '' : sheet.level} onInput={num(['level'])} error={errors['sheet.level']} />
          </div>
        </Section>
        <Section title="Abilities">
          <div class="grid abilities">
            {ABILITIES.map(([key, label]) => {
              const score = sheet.abilities[key];
              const mod = Number.isFinite(score) ? abilityModifier(score) : null;
              return <Field key={key} label={label} type="number" min={1} max={30} value={Number.isNaN(score) ? '' : score} onInput={num(['abilities', key])}
                error={errors[`sheet.abilities.${key}`]} hint={mod === null ? undefined : `Modifier ${mod >= 0 ? '+' : ''}${mod}`} />;
            })}
          </div>
        </Section>
        <Section title="Combat">
          <div class="grid">
            <Field label="Armour class" type="number" value={Number.isNaN(sheet.armorClass) ? '' : sheet.armorClass} onInput={num(['armorClass'])} error={errors['sheet.armorClass']} />
            <Field label="Max HP" type="number" value={Number.isNaN(sheet.hp.max) ? '' : sheet.hp.max} onInput={num(['hp', 'max'])} error={errors['sheet.hp.max'] ?? errors['sheet.hp']} />
            <Field label="Current HP" type="number" value={Number.isNaN(sheet.hp.current) ? '' : sheet.hp.current} onInput={num(['hp', 'current'])} error={errors['sheet.hp.current']} />
            <Field label="Speed (feet)" type="number" value={Number.isNaN(sheet.speed) ? '' : sheet.speed} onInput={num(['speed'])} error={errors['sheet.speed']} />
            <Field label="Proficiency bonus" type="number" value={Number.isNaN(sheet.proficiencyBonus) ? '' : sheet.proficiencyBonus} onInput={num(['proficiencyBonus'])} error={errors['sheet.proficiencyBonus']} />
          </div>
        </Section>
        <Section title="Skills">
          <div class="grid skills">
            {(Object.keys(SKILL_ABILITIES) as (keyof typeof SKILL_ABILITIES)[]).map((skill) => (
              <label key={skill}>{skill.replace(/([A-Z])/g, ' $1').toLowerCase()} <span class="muted">({SKILL_ABILITIES[skill]})</span>
                <select value={sheet.skills[skill]} onChange={(e) => edit(['skills', skill], (e.currentTarget as HTMLSelectElement).value)}>
                  {PROFICIENCY.map((p) => <option key={p} value={p}>{p}</option>)}
                </select>
              </label>
            ))}
          </div>
        </Section>
        <Section title="Notes">
          <Field label="Notes" multiline value={sheet.notes} onInput={(v) => edit(['notes'], v)} error={errors['sheet.notes']} />
        </Section>
        {invalid && <p class="problem" role="alert">Fix the {Object.keys(local).length === 1 ? 'field' : `${Object.keys(local).length} fields`} marked above to save.</p>}
        <ProblemNote error={serverError} shown={Object.keys(fieldErrors(serverError instanceof ApiError ? serverError.problem.errors : []))} />
        {saved && <p role="status">{saved}</p>}
        <button type="submit" disabled={invalid}>Save sheet</button>
      </form>
    </div>
  );
}
