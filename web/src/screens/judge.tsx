/**
 * Homebrew weighed against the rulebooks: the model's opinion (marked as such, each comparison cited), or,
 * without a model, why not and the comparable passages to weigh it yourself.
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { Judgement } from '../api/types';
import { Attribution } from '../ui/attribution';
import { Field, ProblemNote, SelectField, Section } from '../ui/forms';
import { useAction } from '../ui/use-api';

const KINDS = ['spell', 'item', 'monster', 'feature', 'other'];

export function JudgeHomebrew({ campaignId }: { campaignId: string }) {
  const [text, setText] = useState('');
  const [kind, setKind] = useState('spell');
  const [result, setResult] = useState<Judgement | null>(null);
  const { error, busy, run } = useAction();
  const judge = (e: Event) => (e.preventDefault(), run(async () => {
    setResult(null);
    setResult(await api<Judgement>(`/campaigns/${campaignId}/rules/judge`, { method: 'POST', body: { text, kind } }));
  }));
  const fields = error instanceof ApiError ? error.fields : {};
  const attributions = [...new Set(result?.comparables.map((c) => c.attribution).filter((a): a is string => Boolean(a)) ?? [])];
  return (
    <Section title="Weigh homebrew">
      <form onSubmit={judge} noValidate>
        <Field label="Your homebrew" multiline value={text} onInput={setText} error={fields.text} hint="As you would show it to the table (10–4000 characters)" />
        <SelectField label="It is a" value={kind} onChange={setKind} options={KINDS} />
        <button type="submit" disabled={busy}>{busy ? 'Weighing…' : 'Weigh it'}</button>
      </form>
      <ProblemNote error={error} shown={['text']} />
      <div aria-live="polite">
        {result?.opinion && (
          <div class="opinion">
            <p><strong class="verdict">{result.opinion.verdict}</strong> <span class="muted">· {result.opinion.label}</span></p>
            <p class="notice">{result.opinion.disclaimer}</p>
            <p class="prose">{result.opinion.summary}</p>
            <ul>{result.opinion.comparisons.map((c, i) => <li key={i}><a href={c.url} target="_blank" rel="noopener">{c.citation}</a> {c.note}</li>)}</ul>
            {result.opinion.suggestions.length > 0 && <p>Suggestions: {result.opinion.suggestions.join(' · ')}</p>}
          </div>
        )}
        {result && !result.opinion && <p class="notice">{result.reason}</p>}
        {result && result.comparables.length > 0 && (
          <>
            <h3>Comparable passages</h3>
            <ol class="hits">
              {result.comparables.map((c) => (
                <li key={c.citation + c.page} class="hit">
                  <p class="cite"><a href={c.url} target="_blank" rel="noopener">{c.rulebookTitle}, p. {c.page}</a>{c.headingPath.length > 0 && <span class="muted"> · {c.headingPath.join(' › ')}</span>}</p>
                  <p class="snippet">{c.snippet}</p>
                </li>
              ))}
            </ol>
            {attributions.map((a) => <Attribution key={a} text={a} />)}
          </>
        )}
      </div>
    </Section>
  );
}
