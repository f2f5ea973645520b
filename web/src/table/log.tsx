/** One line of the table's log: chat, whisper, roll card, note, scene change, narration, or what the table did. */
import { AudioClip } from '../ui/audio';
import type { ActorRef, RollEvent, ServerEvent } from './events';
import { RollCard } from './roll-card';
import type { Me } from './state';

const time = (at?: string) => (at ? new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '');

function Who({ actor }: { actor?: ActorRef | null }) {
  return <strong class="who">{actor?.displayName ?? 'Table'}</strong>;
}

export function LogEntry({ event, me, onReveal, onRemove }: { event: ServerEvent; me: Me | null; onReveal: (eventId: string) => void; onRemove: (eventId: string) => void }) {
  const gm = me?.role === 'gm';
  const removed = Boolean(event.removed);
  const remove = gm && !removed && ['chat', 'whisper', 'roll', 'note'].includes(event.type)
    ? <button type="button" class="link small" onClick={() => onRemove(event.eventId!)} aria-label="Remove this message">Remove</button> : null;
  const stamp = <time dateTime={event.at}>{time(event.at)}</time>;
  switch (event.type) {
    case 'chat': {
      const character = event.character as { name: string } | undefined;
      return (
        <li class={`entry chat ${event.mode === 'ic' ? 'ic' : 'ooc'}${removed ? ' removed' : ''}`}>
          {stamp} {character ? <strong class="who">{character.name}</strong> : <Who actor={event.actor} />}
          <span class="mode">{event.mode === 'ic' ? 'in character' : 'out of character'}</span>
          <span class="text">{removed && !gm ? 'Removed by the GM' : String(event.text ?? '')}</span>
          {removed && gm && <span class="badge">removed</span>} {remove}
        </li>
      );
    }
    case 'whisper': {
      const to = event.to === 'gm' ? 'the GM' : (event.to as ActorRef | undefined)?.displayName ?? 'someone';
      return (
        <li class={`entry whisper${removed ? ' removed' : ''}`}>
          {stamp} <Who actor={event.actor} /> <span class="mode">whispers to {event.actor?.userId === me?.userId ? to : event.to === 'gm' ? 'the GM' : 'you'}</span>
          <span class="text">{removed && !gm ? 'Removed by the GM' : String(event.text ?? '')}</span> {remove}
        </li>
      );
    }
    case 'roll': {
      const roll = event as RollEvent;
      const mine = roll.actor?.userId === me?.userId;
      const canReveal = roll.visibility !== 'public' && (gm || (mine && roll.visibility !== 'blind'));
      return <li class="entry roll">{stamp} <RollCard roll={roll} canReveal={canReveal} onReveal={() => onReveal(roll.eventId!)} /> {remove}</li>;
    }
    case 'roll.revealed':
      return <li class="entry roll">{stamp} <span class="mode">Revealed by {event.actor?.displayName}</span> <RollCard roll={event.roll as RollEvent} /></li>;
    case 'roll.request': {
      const to = event.to as ActorRef;
      const character = event.character as { name: string };
      return <li class="entry system">{stamp} <Who actor={event.actor} /> asks {character.name} ({to.displayName}) for <strong>{String(event.check)}</strong>{event.dc ? `, DC ${event.dc}` : ''}{event.mode !== 'normal' ? ` with ${event.mode}` : ''}</li>;
    }
    case 'note': {
      const note = event.note as { category: string; text: string };
      return <li class={`entry note${removed ? ' removed' : ''}`}>{stamp} <Who actor={event.actor} /> <span class="mode">note · {note?.category}</span> <span class="text">{removed && !gm ? 'Removed by the GM' : note?.text}</span> {remove}</li>;
    }
    case 'scene':
      return <li class="entry system">{stamp} <Who actor={event.actor} /> set the scene: <span class="text">{String(event.text)}</span></li>;
    case 'narration': {
      const status = String(event.status);
      return (
        <li class={`entry narration ${status}`}>
          {stamp} <strong class="who">Narrator</strong> <span class="mode">{String(event.label ?? '')}{event.audience === 'gm' ? ' · GM preview' : ''}</span>
          <p class="text prose">{String(event.text ?? '')}</p>
          {status !== 'complete' && <p class="muted">({status}{event.reason ? `: ${event.reason}` : ''})</p>}
        </li>
      );
    }
    case 'narration.refused':
      return <li class="entry system">{stamp} Not done for the narrator: {(event.refused as string[] | undefined)?.join('; ')}</li>;
    case 'narration.audio':
      return (
        <li class="entry system narration-audio">
          {stamp} The narration, spoken <span class="mode">{String(event.label ?? '')}{event.audience === 'gm' ? ' · GM preview' : ''}</span>{' '}
          <AudioClip path={String(event.url)} label="Listen to the narration" />
        </li>
      );
    case 'narration.auto':
      return <li class="entry system">{stamp} Auto-narration {event.on ? 'on' : 'off'}</li>;
    case 'ready': {
      return <li class="entry system">{stamp} <Who actor={event.actor} /> {event.prompt ? `ready check: ${String(event.prompt)}` : 'answered the ready check'}</li>;
    }
    case 'moderation': {
      const user = event.user as ActorRef | undefined;
      const what = event.action === 'removed' ? 'removed a message' : `${String(event.action)} ${user?.displayName ?? ''}`;
      return <li class="entry system">{stamp} <Who actor={event.actor} /> {what}{event.reason ? ` (${String(event.reason)})` : ''}</li>;
    }
    case 'member': {
      const user = event.user as ActorRef | undefined;
      return <li class="entry system">{stamp} {user?.displayName} {event.action === 'removed' ? 'left the campaign' : `is now ${String(event.role)}`}</li>;
    }
    case 'safety':
      return <li class="entry system safety">{stamp} {String(event.message ?? 'The X-card was tapped.')}</li>;
    default:
      return null;
  }
}
