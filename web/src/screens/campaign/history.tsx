/** The campaign's history: every change, what it changed (diff), and a restore (itself a new revision). */
import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { Campaign, Page, Revision, RevisionDiff } from '../../api/types';
import { ProblemNote, Section } from '../../ui/forms';
import { useAction, useApi } from '../../ui/use-api';

const show = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v));

export function History({ campaign }: { campaign: Campaign }) {
  const revisions = useApi<Page<Revision>>(`/campaigns/${campaign.id}/revisions`, { limit: 50 });
  const [diff, setDiff] = useState<RevisionDiff | null>(null);
  const [done, setDone] = useState('');
  const action = useAction();
  const error = action.error;
  const run = (work: () => Promise<void>) => (setDone(''), action.run(work));
  return (
    <Section title="History">
      <ProblemNote error={error ?? revisions.error} />
      {done && <p role="status">{done}</p>}
      <table>
        <caption class="sr-only">Changes, newest first</caption>
        <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Change</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          {revisions.data?.items.map((r) => (
            <tr key={r.id}>
              <td>{new Date(r.createdAt).toLocaleString()}</td>
              <td>{r.entityType.replace('_', ' ')} v{r.version}</td>
              <td>{r.action}{r.restoredFrom ? ' (restored)' : ''}</td>
              <td class="actions">
                <button type="button" class="secondary" onClick={() => run(async () => setDiff(await api<RevisionDiff>(`/campaigns/${campaign.id}/revisions/${r.id}/diff`)))}>Diff</button>
                <button type="button" class="secondary" onClick={() => confirm(`Restore this ${r.entityType.replace('_', ' ')} to version ${r.version}?`) && run(async () => {
                  await api(`/campaigns/${campaign.id}/revisions/${r.id}/restore`, { method: 'POST' });
                  setDone(`Restored ${r.entityType.replace('_', ' ')} to version ${r.version}.`);
                  revisions.reload();
                })}>Restore</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {diff && (
        <div class="diff" role="region" aria-label="Differences">
          <h3>{diff.to.entityType.replace('_', ' ')} v{diff.from?.version ?? 0} → v{diff.to.version}</h3>
          {diff.changes.length === 0 ? <p>No changes.</p> : (
            <ul>
              {diff.changes.map((c, i) => (
                <li key={i} class={c.op}><code>{c.path || '(whole record)'}</code>: {c.op === 'add' ? <ins>{show(c.after)}</ins> : c.op === 'remove' ? <del>{show(c.before)}</del> : <><del>{show(c.before)}</del> → <ins>{show(c.after)}</ins></>}</li>
              ))}
            </ul>
          )}
          <button type="button" class="link" onClick={() => setDiff(null)}>Close</button>
        </div>
      )}
    </Section>
  );
}
