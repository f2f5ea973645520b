/** NPCs, locations, plot threads and notes. The GM sees GM-only parts, marked; players see what the party knows. */
import type { Campaign, LoreItem, Note, Page } from '../../api/types';
import { ProblemNote, Section } from '../../ui/forms';
import { useApi } from '../../ui/use-api';

function Value({ value }: { value: unknown }) {
  if (value === null || value === undefined || value === '') return null;
  if (Array.isArray(value)) return value.length ? <ul>{value.map((v, i) => <li key={i}><Value value={v} /></li>)}</ul> : null;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== '' && v !== null && !(Array.isArray(v) && !v.length));
    return entries.length ? <dl>{entries.map(([k, v]) => <><dt key={`${k}-t`}>{k}</dt><dd key={k}><Value value={v} /></dd></>)}</dl> : null;
  }
  return <>{String(value)}</>;
}

function Kind({ campaign, path, title }: { campaign: Campaign; path: string; title: string }) {
  const { data, error } = useApi<Page<LoreItem>>(`/campaigns/${campaign.id}/${path}`);
  return (
    <Section title={title}>
      <ProblemNote error={error} />
      {data?.items.length === 0 && <p class="muted">None yet.</p>}
      {data?.items.map((item) => (
        <article key={item.id} class="lore">
          <h3>{item.name} {item.visibility === 'gm' && <span class="badge gm">GM only</span>}</h3>
          <Value value={item.data} />
          {item.gmOnly && Object.keys(item.gmOnly).length > 0 && (
            <div class="gm-only" aria-label="GM only">
              <p class="badge gm">GM only</p>
              <Value value={item.gmOnly} />
            </div>
          )}
        </article>
      ))}
    </Section>
  );
}

export function Lore({ campaign }: { campaign: Campaign }) {
  const notes = useApi<Page<Note>>(`/campaigns/${campaign.id}/notes`);
  return (
    <>
      <Kind campaign={campaign} path="npcs" title="NPCs" />
      <Kind campaign={campaign} path="locations" title="Locations" />
      <Kind campaign={campaign} path="threads" title="Plot threads" />
      <Section title="Notes">
        <ProblemNote error={notes.error} />
        {notes.data?.items.map((n) => (
          <article key={n.id} class="lore">
            <h3>{n.title} <span class="muted">{n.category}</span> {n.visibility === 'gm' && <span class="badge gm">GM only</span>}</h3>
            <p class="prose">{n.body}</p>
          </article>
        ))}
      </Section>
    </>
  );
}
