/**
 * The narrator of a campaign: which model speaks and in which style, voices (opt-in, with a preview), what it
 * remembers (facts; a player's own profile), and, for the GM, the generators and what the model has cost today and
 * this month. Members read; the GM changes.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { AiUsage, Campaign, NarratorSettings } from '../../api/types';
import { AudioClip } from '../../ui/audio';
import { CheckField, Field, ProblemNote, SelectField, Section } from '../../ui/forms';
import { useAction, useApi } from '../../ui/use-api';
import { Generators } from './generators';
import { Memory } from './memory';

function Settings({ campaign, settings, onSaved }: { campaign: Campaign; settings: NarratorSettings; onSaved: (s: NarratorSettings) => void }) {
  const gm = campaign.myRole === 'gm';
  const [provider, setProvider] = useState(settings.provider);
  const [preset, setPreset] = useState(settings.stylePreset ?? '');
  const [sample, setSample] = useState(settings.styleSample);
  const [voiceOn, setVoiceOn] = useState(settings.speech.enabled);
  const [voice, setVoice] = useState(settings.speech.narratorVoice);
  const [saved, setSaved] = useState(false);
  const { error, busy, run } = useAction();
  const save = (e: Event) => (e.preventDefault(), run(async () => {
    setSaved(false);
    onSaved(await api<NarratorSettings>(`/campaigns/${campaign.id}/narrator`, { method: 'PUT', body: { provider, stylePreset: preset || null, styleSample: sample, speech: { enabled: voiceOn, narratorVoice: voice } } }));
    setSaved(true);
  }));
  return (
    <Section title="Narrator settings">
      <p>Speaking now: <strong>{settings.effective.label}</strong></p>
      <p>Voices: <strong>{settings.speech.enabled ? `on (${settings.speech.label})` : 'off'}</strong></p>
      {settings.style && <p class="muted prose">Style: {settings.style}</p>}
      {gm && (
        <form onSubmit={save} noValidate>
          <SelectField label="Model" value={provider} onChange={setProvider} options={settings.available.map((p) => [p, p === 'default' ? 'Platform default' : p] as const)} />
          <SelectField label="Style" value={preset} onChange={setPreset} options={[['', 'None (or derived from a sample)'], ...Object.keys(settings.presets)]} />
          <Field label="Or a sample of your own prose" multiline value={sample} onInput={setSample} hint="A paragraph or two: the narrator takes its sentence length, person, tense and favourite words (a chosen style wins)" />
          <CheckField label="Speak narrations aloud" checked={voiceOn} onChange={setVoiceOn} />
          <SelectField label="Narrator's voice" value={voice} onChange={setVoice} options={[['', "The model's first"], ...settings.speech.voices]} hint={settings.speech.label} />
          <button type="submit" disabled={busy}>Save narrator settings</button>
          {saved && <span role="status" class="muted"> Saved.</span>}
          <ProblemNote error={error} />
        </form>
      )}
    </Section>
  );
}

function VoicePreview({ campaign, settings }: { campaign: Campaign; settings: NarratorSettings }) {
  const [text, setText] = useState('Welcome, travellers. Mind the bridge.');
  const [voice, setVoice] = useState('');
  const [clip, setClip] = useState<{ url: string; label: string; voice: string } | null>(null);
  const { error, busy, run } = useAction();
  const hear = (e: Event) => (e.preventDefault(), run(async () => {
    setClip(null);
    setClip(await api(`/campaigns/${campaign.id}/speech`, { method: 'POST', body: { text, ...(voice ? { voice } : {}) } }));
  }));
  return (
    <Section title="Hear a voice">
      <form onSubmit={hear} noValidate>
        <Field label="Line to speak" value={text} onInput={setText} />
        <SelectField label="Voice" value={voice} onChange={setVoice} options={[['', "The narrator's"], ...settings.speech.voices]} />
        <button type="submit" disabled={busy}>Make the clip</button>
      </form>
      <ProblemNote error={error} />
      {clip && <p>{clip.voice} · <span class="muted">{clip.label}</span> <AudioClip key={clip.url} path={clip.url} label={`the line in ${clip.voice}`} /></p>}
    </Section>
  );
}

function Usage({ campaign }: { campaign: Campaign }) {
  const { data, error } = useApi<AiUsage>(`/campaigns/${campaign.id}/ai/usage`);
  const money = (n: number) => `$${n.toFixed(4)}`;
  return (
    <Section title="Model usage">
      <ProblemNote error={error} />
      {data && (
        <table class="usage">
          <caption class="sr-only">Calls, tokens and estimated cost</caption>
          <thead><tr><th scope="col">Period</th><th scope="col">Calls</th><th scope="col">Tokens in / out</th><th scope="col">Estimated cost</th></tr></thead>
          <tbody>
            {([['Today', data.today], ['This month', data.month]] as const).map(([name, p]) => (
              <tr key={name}><th scope="row">{name}</th><td>{p.calls}</td><td>{p.inputTokens} / {p.outputTokens}</td><td>{money(p.estimatedUsd)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.month.byKind.length > 0 && (
        <ul class="rows">{data.month.byKind.map((k) => <li key={`${k.kind}-${k.provider}-${k.model}`}><span>{k.kind} · {k.provider}</span><span class="muted">{k.calls} calls, {money(k.estimatedUsd)}</span></li>)}</ul>
      )}
      {data && <p class="muted">Allowances: {Number(data.budgets.dailyTokensPerCampaign).toLocaleString()} tokens a day for the campaign, {Number(data.budgets.dailyTokensPerUser).toLocaleString()} per person; the scripted narrator and placeholder tones are free.</p>}
    </Section>
  );
}

export function Narrator({ campaign }: { campaign: Campaign }) {
  const loaded = useApi<NarratorSettings>(`/campaigns/${campaign.id}/narrator`);
  const [settings, setSettings] = useState<NarratorSettings | null>(null);
  useEffect(() => setSettings(loaded.data), [loaded.data]);
  const gm = campaign.myRole === 'gm';
  return (
    <>
      <ProblemNote error={loaded.error} />
      {settings && <Settings campaign={campaign} settings={settings} onSaved={setSettings} />}
      {gm && settings?.speech.enabled && <VoicePreview campaign={campaign} settings={settings} />}
      <Memory campaign={campaign} />
      {gm && <Generators campaign={campaign} />}
      {gm && <Usage campaign={campaign} />}
    </>
  );
}
