/**
 * What the narrator reads of the table: recent logged events as plain lines
 * ("Alice (as Tamsin): I open the door", "Bob rolled Dexterity save: 14 vs DC 12,
 * success"). Pure. The caller passes only events the narration's audience may
 * see (session/visibility.ts), already redacted for it, so a player-audience
 * narration never reads a whisper or a GM-only roll.
 */
import type { Role } from '../game/roles';
import type { SessionEvent } from './protocol';
import { viewFor } from './visibility';

export interface LogLine { who: string; kind: 'said' | 'rolled' | 'narrated' | 'scene' | 'asked' | 'table'; text: string }

/** The narrator reads as this viewer: a player's or the GM's role, never an actor or a recipient. */
export const narratorViewer = (role: Extract<Role, 'player' | 'gm'>) => ({ userId: 'narrator', role });

/** The events a narration for `role` may read, as that audience receives them (visibility rule and redaction). */
export function seenBy(events: SessionEvent[], role: Extract<Role, 'player' | 'gm'>): SessionEvent[] {
  const viewer = narratorViewer(role);
  return events.map((e) => viewFor(e, viewer)).filter((e): e is SessionEvent => e !== null);
}

const name = (e: SessionEvent) => e.actor?.displayName ?? 'The table';

export function narrationLog(events: SessionEvent[]): LogLine[] {
  const lines: LogLine[] = [];
  for (const e of events) {
    switch (e.type) {
      case 'chat': {
        const character = (e.character as { name?: string } | null | undefined)?.name;
        lines.push({ who: character ? `${name(e)} (as ${character})` : name(e), kind: 'said', text: `${e.mode === 'ic' ? '' : '(out of character) '}${String(e.text ?? '')}` });
        break;
      }
      case 'whisper': lines.push({ who: name(e), kind: 'said', text: `(whispered) ${String(e.text ?? '')}` }); break;
      case 'roll': {
        if (e.total === undefined) break; // a blind roll seen from outside: no result to read
        const label = (e.check as { label?: string } | null)?.label ?? (typeof e.label === 'string' && e.label ? `${e.label} (${String(e.notation ?? e.expression)})` : String(e.notation ?? e.expression ?? 'a roll'));
        const dc = typeof e.dc === 'number' ? ` vs DC ${e.dc}, ${e.success ? 'success' : 'failure'}` : '';
        lines.push({ who: String(e.roller ?? name(e)), kind: 'rolled', text: `${label}: ${e.total}${dc}${e.critical ? ' (critical)' : ''}${e.fumble ? ' (natural 1)' : ''}` });
        break;
      }
      case 'roll.request': lines.push({ who: name(e), kind: 'asked', text: `${(e.to as { displayName: string }).displayName}, roll ${e.check}${e.dc ? ` (DC ${e.dc})` : ''}` }); break;
      case 'narration': if (e.status === 'complete') lines.push({ who: 'Narrator', kind: 'narrated', text: String(e.text ?? '') }); break;
      case 'scene': lines.push({ who: name(e), kind: 'scene', text: String(e.text ?? '') }); break;
      case 'initiative': lines.push({ who: name(e), kind: 'table', text: `combat: ${String(e.action ?? '').replace('initiative.', '')}` }); break;
      default: break;
    }
  }
  return lines;
}
