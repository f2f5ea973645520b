/** Rules search over the campaign's rulebooks: snippets with the words marked, book and page cited, the PDF opened at that page. */
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { SearchHit, SearchResult } from '../api/types';
import { Attribution } from '../ui/attribution';
import { ProblemNote } from '../ui/forms';
import { Snippet } from '../ui/snippet';
import { JudgeHomebrew } from './judge';

export function Hit({ hit }: { hit: SearchHit }) {
  return (
    <li class="hit">
      <p class="cite">
        <a href={hit.url} target="_blank" rel="noopener">{hit.rulebookTitle}, p. {hit.page}</a>
        {hit.headingPath.length > 0 && <span class="muted"> · {hit.headingPath.join(' › ')}</span>}
      </p>
      <p class="snippet"><Snippet html={hit.snippet} /></p>
    </li>
  );
}

export function RulesSearch({ campaignId }: { campaignId: string }) {
  const [q, setQ] = useState(new URLSearchParams(location.search).get('q') ?? '');
  const [result, setResult] = useState<SearchResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const search = async (e?: Event, query = q) => {
    e?.preventDefault();
    if (!query.trim()) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await api<SearchResult>(`/campaigns/${campaignId}/rules/search`, { query: { q: query, limit: 10 } }));
      history.replaceState(null, '', `?q=${encodeURIComponent(query)}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const attributions = [...new Set(result?.hits.map((h) => h.attribution) ?? [])];
  return (
    <div class="page">
      <h1 tabIndex={-1}>Rules search</h1>
      <p><a href={`/campaigns/${campaignId}`}>Back to the campaign</a></p>
      <form role="search" onSubmit={search} class="inline">
        <label for="rules-q">Ask the rulebooks</label>
        <input id="rules-q" type="search" value={q} maxLength={300} placeholder="e.g. how does grappling work" onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)} />
        <button type="submit" disabled={busy}>{busy ? 'Searching…' : 'Search'}</button>
      </form>
      <ProblemNote error={error} />
      <div aria-live="polite">
        {result && (
          <>
            {result.didYouMean && <p>Did you mean <button type="button" class="link" onClick={() => (setQ(result.didYouMean!), search(undefined, result.didYouMean!))}>{result.didYouMean}</button>?</p>}
            <p class="muted">{result.hits.length ? `${result.hits.length} passages` : 'Nothing found in the rulebooks.'}</p>
            <ol class="hits">{result.hits.map((h) => <Hit key={h.passageId} hit={h} />)}</ol>
            {attributions.map((a) => <Attribution key={a} text={a} />)}
          </>
        )}
      </div>
      <JudgeHomebrew campaignId={campaignId} />
    </div>
  );
}
