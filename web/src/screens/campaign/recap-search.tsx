/** Search the recaps of past sessions (players the player-safe recaps, the GM theirs too), matched words marked. */
import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { Campaign, Page, RecapHit } from '../../api/types';
import { ProblemNote } from '../../ui/forms';
import { Snippet } from '../../ui/snippet';
import { useAction } from '../../ui/use-api';

export function RecapSearch({ campaign }: { campaign: Campaign }) {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<RecapHit[] | null>(null);
  const { error, busy, run } = useAction();
  const search = (e: Event) => (e.preventDefault(), q.trim() && run(async () => {
    setHits((await api<Page<RecapHit>>(`/campaigns/${campaign.id}/recaps`, { query: { q: q.trim() } })).items);
  }));
  return (
    <>
      <form role="search" onSubmit={search} class="inline">
        <label for="recap-q">Search past sessions</label>
        <input id="recap-q" type="search" value={q} maxLength={200} placeholder="e.g. the goblin bridge" onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)} />
        <button type="submit" disabled={busy}>Search recaps</button>
      </form>
      <ProblemNote error={error} />
      <div aria-live="polite">
        {hits && hits.length === 0 && <p class="muted">No recap mentions that.</p>}
        {hits && hits.length > 0 && (
          <ol class="hits">
            {hits.map((h) => <li key={h.sessionId} class="hit"><p class="cite"><strong>{h.title}</strong>{h.endedAt && <span class="muted"> · {new Date(h.endedAt).toLocaleDateString()}</span>}</p><p class="snippet"><Snippet html={h.snippet} /></p></li>)}
          </ol>
        )}
      </div>
    </>
  );
}
