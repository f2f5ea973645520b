/** A campaign: sessions and characters, members and invites, rulebooks, lore, the narrator, history; tabs are routes. */
import type { Campaign } from '../api/types';
import { ProblemNote } from '../ui/forms';
import { useApi } from '../ui/use-api';
import { Overview } from './campaign/overview';
import { Members } from './campaign/members';
import { Rulebooks } from './campaign/rulebooks';
import { Lore } from './campaign/lore';
import { History } from './campaign/history';
import { lazyScreen } from '../ui/lazy';

// The narrator tab (settings, voices, generators, usage) is the GM's workshop: loaded when opened.
const Narrator = lazyScreen(() => import('./campaign/narrator').then((m) => m.Narrator));

const TABS = [
  ['overview', 'Sessions & characters'], ['members', 'Members'], ['rulebooks', 'Rulebooks'], ['lore', 'Lore'], ['narrator', 'Narrator'], ['history', 'History'],
] as const;

export function CampaignPage({ campaignId, tab }: { campaignId: string; tab: string }) {
  const { data: campaign, error } = useApi<Campaign>(`/campaigns/${campaignId}`);
  if (error) return <div class="page"><h1 tabIndex={-1}>Campaign</h1><ProblemNote error={error} /></div>;
  if (!campaign) return <div class="page"><h1 tabIndex={-1}>Campaign</h1><p aria-busy="true">Loading…</p></div>;
  const gm = campaign.myRole === 'gm';
  return (
    <div class="page">
      <h1 tabIndex={-1}>{campaign.name}</h1>
      <p class="muted">{campaign.gameSystem}{campaign.setting ? ` · ${campaign.setting}` : ''} · you are {gm ? 'the GM' : `a ${campaign.myRole}`}</p>
      <nav aria-label="Campaign" class="tabs">
        {TABS.filter(([key]) => key !== 'history' || campaign.myRole !== 'spectator').map(([key, label]) => (
          <a key={key} href={key === 'overview' ? `/campaigns/${campaignId}` : `/campaigns/${campaignId}/${key}`} aria-current={tab === key ? 'page' : undefined}>{label}</a>
        ))}
        <a href={`/campaigns/${campaignId}/rules`}>Rules search</a>
      </nav>
      {tab === 'overview' && <Overview campaign={campaign} />}
      {tab === 'members' && <Members campaign={campaign} />}
      {tab === 'rulebooks' && <Rulebooks campaign={campaign} />}
      {tab === 'lore' && <Lore campaign={campaign} />}
      {tab === 'narrator' && <Narrator campaign={campaign} />}
      {tab === 'history' && <History campaign={campaign} />}
    </div>
  );
}
