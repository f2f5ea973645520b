/** Members and their roles; for the GM, role changes, removal and invite links. */
import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import { authStore } from '../../api/auth-store';
import type { Campaign, Invite, Member, Page } from '../../api/types';
import { ProblemNote, Section } from '../../ui/forms';
import { useAction, useApi } from '../../ui/use-api';

export function Members({ campaign }: { campaign: Campaign }) {
  const gm = campaign.myRole === 'gm';
  const members = useApi<Page<Member>>(`/campaigns/${campaign.id}/members`);
  const invites = useApi<Page<Invite>>(gm ? `/campaigns/${campaign.id}/invites` : null);
  const [role, setRole] = useState<'player' | 'spectator'>('player');
  const [maxUses, setMaxUses] = useState(5);
  const [copied, setCopied] = useState('');
  const { error, run } = useAction();
  const link = (code: string) => `${location.origin}/join/${code}`;
  const copy = async (code: string) => {
    try {
      await navigator.clipboard.writeText(link(code));
      setCopied(code);
    } catch {
      setCopied('');
    }
  };
  return (
    <>
      <ProblemNote error={error ?? members.error ?? invites.error} />
      <Section title="Members">
        <table>
          <caption class="sr-only">Members of {campaign.name}</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Role</th>{gm && <th scope="col">Actions</th>}</tr></thead>
          <tbody>
            {members.data?.items.map((m) => (
              <tr key={m.userId}>
                <td>{m.displayName}{m.email && <span class="muted"> · {m.email}</span>}</td>
                <td>
                  {gm && m.userId !== authStore.user?.id ? (
                    <select aria-label={`Role of ${m.displayName}`} value={m.role}
                      onChange={(e) => run(async () => (await api(`/campaigns/${campaign.id}/members/${m.userId}`, { method: 'PATCH', body: { role: (e.currentTarget as HTMLSelectElement).value } }), members.reload()))}>
                      <option value="gm">GM</option><option value="player">Player</option><option value="spectator">Spectator</option>
                    </select>
                  ) : m.role}
                </td>
                {gm && <td>{m.userId !== authStore.user?.id && (
                  <button type="button" class="danger" onClick={() => confirm(`Remove ${m.displayName} from the campaign?`) && run(async () => (await api(`/campaigns/${campaign.id}/members/${m.userId}`, { method: 'DELETE' }), members.reload()))}>Remove</button>
                )}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      {gm && (
        <Section title="Invites">
          <form class="inline" onSubmit={(e) => (e.preventDefault(), run(async () => (await api(`/campaigns/${campaign.id}/invites`, { method: 'POST', body: { role, maxUses } }), invites.reload())))}>
            <label>Role <select value={role} onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value as 'player')}><option value="player">Player</option><option value="spectator">Spectator</option></select></label>
            <label>Uses <input type="number" min={1} max={100} value={maxUses} onInput={(e) => setMaxUses(Number((e.currentTarget as HTMLInputElement).value))} /></label>
            <button type="submit">Create invite</button>
          </form>
          <ul class="rows">
            {invites.data?.items.filter((i) => !(i as Invite & { revokedAt?: string | null }).revokedAt).map((i) => (
              <li key={i.id}>
                <span><code>{i.code}</code> · {i.role} · {i.uses}/{i.maxUses} used · expires {new Date(i.expiresAt).toLocaleDateString()}</span>
                <span class="muted break">{link(i.code)}</span>
                <button type="button" class="secondary" onClick={() => copy(i.code)}>{copied === i.code ? 'Copied' : 'Copy link'}</button>
                <button type="button" class="danger" onClick={() => run(async () => (await api(`/campaigns/${campaign.id}/invites/${i.id}`, { method: 'DELETE' }), invites.reload()))}>Revoke</button>
              </li>
            ))}
          </ul>
        </Section>
      )}
    </>
  );
}
