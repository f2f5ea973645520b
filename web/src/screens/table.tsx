/**
 * The live table: connection state, presence, scene, narration, roll requests,
 * ready checks, initiative, the log (an aria-live region) and the composer
 * with its dice tray. State is folded from server events by `applyEvent`;
 * the socket is a `TableConnection` that reconnects and resumes by itself.
 */
import { useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Character, GameSession, Page } from '../api/types';
import { TableConnection, type ConnectionStatus } from '../table/connection';
import type { ClientMessage, ServerEvent } from '../table/events';
import { Initiative } from '../table/initiative';
import { LogEntry } from '../table/log';
import { applyEvent, initialTable, openRollRequests, type TableState } from '../table/state';
import { ProblemNote } from '../ui/forms';
import { useApi } from '../ui/use-api';

const STATUS: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…', open: 'Connected', reconnecting: 'Reconnecting…', offline: 'Offline: will reconnect when the network is back', closed: 'Disconnected',
};
/** Suggestions for a roll request; any check the sheet can make is accepted ("Longsword attack" too). */
const CHECKS = ['Perception', 'Stealth', 'Athletics', 'Acrobatics', 'Insight', 'Investigation', 'Persuasion', 'Strength save', 'Dexterity save', 'Constitution save', 'Wisdom save', 'Initiative'];
const QUICK_DICE = ['1d20', '2d20kh1', '2d20kl1', '4d6kh3', '1d4', '1d6', '1d8', '1d10', '1d12', '1d100'];

function reducer(state: TableState, events: ServerEvent[]): TableState {
  return events.reduce(applyEvent, state);
}

export function TableView({ sessionId }: { sessionId: string }) {
  const session = useApi<GameSession & { table?: unknown }>(`/sessions/${sessionId}`);
  const campaignId = session.data?.campaignId;
  const characters = useApi<Page<Character>>(campaignId ? `/campaigns/${campaignId}/characters` : null);
  const [state, dispatch] = useReducer(reducer, undefined, initialTable);
  const [status, setStatus] = useState<{ status: ConnectionStatus; detail?: string }>({ status: 'connecting' });
  const connection = useRef<TableConnection | null>(null);
  const lastSeq = useRef(0);
  lastSeq.current = state.lastSeq;

  useEffect(() => {
    if (!session.data || session.data.status !== 'live') return;
    const conn = new TableConnection({
      sessionId, lastSeq: () => lastSeq.current, onEvent: (e) => dispatch([e]), onStatus: (s, detail) => setStatus({ status: s, detail }),
    });
    connection.current = conn;
    return () => conn.close();
  }, [session.data?.status, sessionId]);

  const send = (message: ClientMessage) => connection.current?.send(message) ?? false;
  const me = state.me;
  const gm = me?.role === 'gm';
  const open = status.status === 'open';

  if (session.error) return <div class="page"><h1 tabIndex={-1}>Table</h1><ProblemNote error={session.error} /></div>;
  if (!session.data) return <div class="page"><h1 tabIndex={-1}>Table</h1><p aria-busy="true">Loading…</p></div>;
  if (session.data.status !== 'live') {
    return (
      <div class="page">
        <h1 tabIndex={-1}>{session.data.title}</h1>
        <p>This session is {session.data.status}. <a href={`/campaigns/${session.data.campaignId}`}>Back to the campaign</a></p>
      </div>
    );
  }
  const mine = characters.data?.items.filter((c) => c.ownerUserId === me?.userId) ?? [];
  return (
    <div class="table-view">
      <div class="table-head">
        <h1 tabIndex={-1}>{session.data.title}</h1>
        <p class={`connection ${status.status}`} role="status" aria-live="polite">
          <span class="dot" aria-hidden="true" />{STATUS[status.status]}{status.status === 'closed' && status.detail ? `: ${status.detail}` : ''}
        </p>
        <a href={`/campaigns/${session.data.campaignId}`}>Campaign</a>
        <a href={`/campaigns/${session.data.campaignId}/rules`} target="_blank" rel="noopener">Rules search</a>
        {me && me.role !== 'spectator' && (
          <button type="button" class="secondary" title="Anyone may tap it; the table learns that it was tapped, never by whom"
            onClick={() => send({ type: 'safety.xcard' })}>X-card</button>
        )}
        {gm && <EndSession sessionId={sessionId} />}
      </div>
      {state.ended && <p class="problem" role="alert">{state.ended.reason}. Everything said is saved in the campaign's history.</p>}
      {state.removed && <p class="problem" role="alert">{state.removed.reason}</p>}
      <div class="table-grid">
        <div class="table-main">
          <Scene state={state} send={send} />
          <NarrationPanel state={state} send={send} />
          <RollRequests state={state} send={send} characters={characters.data?.items ?? []} />
          <ReadyCheck state={state} send={send} />
          <Log state={state} send={send} />
          <Composer state={state} send={send} open={open} characters={mine} />
        </div>
        <aside class="table-side" aria-label="Table">
          <Presence state={state} send={send} />
          <Initiative state={state} send={send} characters={characters.data?.items ?? []} />
        </aside>
      </div>
    </div>
  );
}

type Part = { state: TableState; send: (m: ClientMessage) => boolean | void };

function EndSession({ sessionId }: { sessionId: string }) {
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <button type="button" class="danger" onClick={async () => {
        if (!confirm('End the session for everyone?')) return;
        try {
          await api(`/sessions/${sessionId}/end`, { method: 'POST' });
        } catch (err) {
          setError(err);
        }
      }}>End session</button>
      <ProblemNote error={error} />
    </>
  );
}

function Presence({ state, send }: Part) {
  const typing = Object.values(state.typing);
  const gm = state.me?.role === 'gm';
  return (
    <section class="panel" aria-labelledby="presence-title">
      <h2 id="presence-title">At the table</h2>
      <ul class="presence">
        {state.presence.map((p) => (
          <li key={p.userId} class={p.status}>
            <span class="dot" aria-hidden="true" />{p.displayName} <span class="muted">{p.role === 'gm' ? 'GM' : p.role}{p.status !== 'online' ? ` · ${p.status}` : ''}</span>
            {gm && p.role !== 'gm' && (
              <span class="buttons inline-buttons">
                <button type="button" class="small secondary" aria-label={`Mute ${p.displayName} for 10 minutes`} onClick={() => send({ type: 'player.mute', userId: p.userId, minutes: 10 })}>Mute</button>
                <button type="button" class="small danger" aria-label={`Remove ${p.displayName} from the table`}
                  onClick={() => confirm(`Remove ${p.displayName} from this table? They cannot come back until you admit them.`) && send({ type: 'player.kick', userId: p.userId })}>Remove</button>
              </span>
            )}
          </li>
        ))}
      </ul>
      <p class="typing muted" aria-live="off">{typing.length ? `${typing.join(', ')} ${typing.length === 1 ? 'is' : 'are'} typing…` : '\u00a0'}</p>
    </section>
  );
}

function Scene({ state, send }: Part) {
  const gm = state.me?.role === 'gm';
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  return (
    <section class="panel scene" aria-labelledby="scene-title">
      <div class="panel-head">
        <h2 id="scene-title">Scene</h2>
        {gm && !editing && <button type="button" class="secondary small" onClick={() => (setText(state.scene), setEditing(true))}>Set the scene</button>}
      </div>
      {editing ? (
        <form onSubmit={(e) => (e.preventDefault(), send({ type: 'scene.set', text }), setEditing(false))}>
          <label for="scene-text" class="sr-only">Scene text</label>
          <textarea id="scene-text" rows={3} maxLength={5000} value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
          <button type="submit">Show the table</button> <button type="button" class="secondary" onClick={() => setEditing(false)}>Cancel</button>
        </form>
      ) : <p class="prose">{state.scene || <span class="muted">No scene set.</span>}</p>}
    </section>
  );
}

function NarrationPanel({ state, send }: Part) {
  const gm = state.me?.role === 'gm';
  const [prompt, setPrompt] = useState('');
  const [kind, setKind] = useState<'scene' | 'npc' | 'action' | 'free'>('scene');
  const n = state.narration;
  if (!gm && !n) return null;
  return (
    <section class="panel narration-panel" aria-labelledby="narrator-title">
      <div class="panel-head">
        <h2 id="narrator-title">Narrator</h2>
        {gm && <label class="toggle"><input type="checkbox" checked={state.autoNarrate} onChange={(e) => send({ type: 'narrate.auto', on: (e.currentTarget as HTMLInputElement).checked })} /> Auto-narrate player actions</label>}
      </div>
      {/* Reserved space, and not announced word by word: the finished narration is announced once, from the log. */}
      <div class="stream" aria-live="off" aria-busy={n ? 'true' : 'false'}>
        {n ? <><p class="muted">{n.label}</p><p class="prose">{n.text}<span class="caret" aria-hidden="true" /></p></> : <p class="muted">The narrator is quiet.</p>}
      </div>
      {gm && n && <button type="button" class="danger" onClick={() => send({ type: 'narrate.cancel' })}>Stop narration</button>}
      {gm && (
        <form class="inline" onSubmit={(e) => (e.preventDefault(), prompt.trim() && send({ type: 'narrate', prompt: prompt.trim(), kind, audience: 'all' }) && setPrompt(''))}>
          <label>Ask for <select value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as 'scene')}>
            <option value="scene">a scene description</option><option value="action">an action's outcome</option><option value="npc">an NPC's voice</option><option value="free">anything</option>
          </select></label>
          <label for="narrate-prompt" class="sr-only">What should the narrator describe?</label>
          <input id="narrate-prompt" value={prompt} maxLength={2000} placeholder="What should the narrator describe?" onInput={(e) => setPrompt((e.currentTarget as HTMLInputElement).value)} />
          <button type="submit">Narrate</button>
        </form>
      )}
    </section>
  );
}

function RollRequests({ state, send, characters }: Part & { characters: Character[] }) {
  const gm = state.me?.role === 'gm';
  const requests = openRollRequests(state, state.me?.userId);
  const owned = characters.filter((c) => c.ownerUserId);
  const [characterId, setCharacterId] = useState('');
  const [check, setCheck] = useState('Perception');
  const [dc, setDc] = useState('');
  if (!requests.length && !(gm && owned.length)) return null;
  const ask = (e: Event) => {
    e.preventDefault();
    const character = owned.find((c) => c.id === (characterId || owned[0]?.id));
    if (!character || !check.trim()) return;
    send({ type: 'roll.request', userId: character.ownerUserId!, characterId: character.id, check: check.trim(), ...(dc ? { dc: Number(dc) } : {}) });
  };
  return (
    <section class="panel requests" aria-labelledby="requests-title">
      <h2 id="requests-title">{gm ? 'Ask for a roll' : 'Rolls asked of you'}</h2>
      {requests.length > 0 && (
        <ul>
          {requests.map((r) => (
            <li key={r.eventId}>
              {(r.character as { name: string }).name}: <strong>{String(r.check)}</strong>{r.dc ? `, DC ${r.dc}` : ''}
              {' '}<button type="button" onClick={() => send({ type: 'roll.answer', eventId: r.eventId! })}>Roll {String(r.check)}</button>
            </li>
          ))}
        </ul>
      )}
      {gm && owned.length > 0 && (
        <form class="inline" onSubmit={ask}>
          <label for="request-character">Character</label>
          <select id="request-character" value={characterId} onChange={(e) => setCharacterId((e.currentTarget as HTMLSelectElement).value)}>
            {owned.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
          <label for="request-check">Check</label>
          <input id="request-check" value={check} maxLength={60} list="check-names" onInput={(e) => setCheck((e.currentTarget as HTMLInputElement).value)} />
          <datalist id="check-names">{CHECKS.map((c) => <option key={c} value={c} />)}</datalist>
          <label for="request-dc">DC</label>
          <input id="request-dc" type="number" min={1} max={40} value={dc} onInput={(e) => setDc((e.currentTarget as HTMLInputElement).value)} />
          <button type="submit">Ask</button>
        </form>
      )}
    </section>
  );
}

function ReadyCheck({ state, send }: Part) {
  const gm = state.me?.role === 'gm';
  const ready = state.ready;
  const players = state.presence.filter((p) => p.role === 'player');
  if (!ready && !gm) return null;
  return (
    <section class="panel" aria-labelledby="ready-title">
      <div class="panel-head">
        <h2 id="ready-title">Ready check</h2>
        {gm && <button type="button" class="secondary small" onClick={() => send({ type: 'ready.start', prompt: 'Ready to begin?' })}>Ask the table</button>}
      </div>
      {ready && (
        <>
          <p>{ready.prompt}</p>
          <ul class="ready">
            {players.map((p) => <li key={p.userId}>{p.displayName}: {ready.answers[p.userId] === undefined ? 'waiting' : ready.answers[p.userId] ? 'ready' : 'not ready'}</li>)}
          </ul>
          {state.me?.role !== 'spectator' && (
            <div class="buttons">
              <button type="button" onClick={() => send({ type: 'ready.answer', ready: true })}>I'm ready</button>
              <button type="button" class="secondary" onClick={() => send({ type: 'ready.answer', ready: false })}>Not yet</button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function Log({ state, send }: Part) {
  const list = useRef<HTMLOListElement>(null);
  const pinned = useRef(true);
  // Follow new lines only when the reader is at the bottom (no jumping away from what they are reading).
  useEffect(() => {
    const el = list.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [state.log.length]);
  return (
    <section class="panel log-panel" aria-labelledby="log-title">
      <h2 id="log-title">Table log</h2>
      {state.history && state.history.before > 1 && <p class="muted">Older messages are in the session history.</p>}
      <div role="log" aria-live="polite" aria-relevant="additions" aria-labelledby="log-title">
      <ol ref={list} class="log" tabIndex={0} aria-label="Messages and rolls"
        onScroll={(e) => {
          const el = e.currentTarget as HTMLOListElement;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}>
        {state.log.map((e) => (
          <LogEntry key={e.eventId} event={e} me={state.me}
            onReveal={(eventId) => send({ type: 'roll.reveal', eventId })}
            onRemove={(eventId) => send({ type: 'message.remove', eventId })} />
        ))}
      </ol>
      </div>
    </section>
  );
}

function Composer({ state, send, open, characters }: Part & { open: boolean; characters: Character[] }) {
  const gm = state.me?.role === 'gm';
  const [text, setText] = useState('');
  const [mode, setMode] = useState<'ic' | 'ooc'>('ooc');
  const [to, setTo] = useState('');
  const [as, setAs] = useState('');
  const [expression, setExpression] = useState('');
  const [visibility, setVisibility] = useState<'public' | 'gm' | 'blind' | 'self'>('public');
  const typingSent = useRef(false);
  const others = useMemo(() => state.presence.filter((p) => p.userId !== state.me?.userId && p.role !== 'spectator'), [state.presence, state.me]);
  if (state.me?.role === 'spectator') return <p class="muted">You are watching as a spectator.</p>;
  const say = (e: Event) => {
    e.preventDefault();
    const line = text.trim();
    if (!line) return;
    const sent = to ? send({ type: 'whisper', text: line, to }) : send({ type: 'chat', text: line, mode, ...(mode === 'ic' && as ? { characterId: as } : {}) });
    if (sent) {
      setText('');
      typingSent.current = false;
      send({ type: 'typing', typing: false });
    }
  };
  const roll = (expr: string) => {
    const value = expr.trim();
    if (value) send({ type: 'roll', expression: value, visibility, ...(as ? { characterId: as } : {}) });
  };
  return (
    <section class="panel composer" aria-labelledby="composer-title">
      <h2 id="composer-title" class="sr-only">Say something or roll</h2>
      {state.error && <p class="problem" role="alert">{state.error.message}</p>}
      <form onSubmit={say} class="say">
        <div class="row">
          <label>To <select value={to} onChange={(e) => setTo((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">Everyone</option>
            {!gm && <option value="gm">The GM (whisper)</option>}
            {others.map((p) => <option key={p.userId} value={p.userId}>{p.displayName} (whisper)</option>)}
          </select></label>
          {!to && <label>Voice <select value={mode} onChange={(e) => setMode((e.currentTarget as HTMLSelectElement).value as 'ic')}>
            <option value="ooc">Out of character</option><option value="ic">In character</option>
          </select></label>}
          {characters.length > 0 && <label>As <select value={as} onChange={(e) => setAs((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">Yourself</option>{characters.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select></label>}
        </div>
        <div class="row grow">
          <label for="chat-text" class="sr-only">Message</label>
          <input id="chat-text" value={text} maxLength={2000} autoComplete="off" placeholder={to ? 'Whisper…' : 'Say something… (!macro runs a macro)'}
            onInput={(e) => {
              setText((e.currentTarget as HTMLInputElement).value);
              if (!typingSent.current) typingSent.current = Boolean(send({ type: 'typing', typing: true }));
            }} />
          <button type="submit" disabled={!open}>{to ? 'Whisper' : 'Send'}</button>
        </div>
      </form>
      <form class="dice-tray" onSubmit={(e) => (e.preventDefault(), roll(expression))} aria-label="Dice tray">
        <div class="row grow">
          <label for="dice-expression">Roll</label>
          <input id="dice-expression" value={expression} maxLength={200} autoComplete="off" placeholder="e.g. 1d20+5 or 4d6kh3" onInput={(e) => setExpression((e.currentTarget as HTMLInputElement).value)} />
          <label>Who sees it <select value={visibility} onChange={(e) => setVisibility((e.currentTarget as HTMLSelectElement).value as 'public')}>
            <option value="public">Everyone</option><option value="gm">{gm ? 'Hidden (GM only)' : 'GM only'}</option>
            {!gm && <option value="blind">Blind (only the GM sees the result)</option>}<option value="self">Only me</option>
          </select></label>
          <button type="submit" disabled={!open}>Roll</button>
        </div>
        <div class="quick" role="group" aria-label="Quick dice">
          {QUICK_DICE.map((d) => <button key={d} type="button" class="secondary small" disabled={!open} onClick={() => roll(d)}>{d}</button>)}
        </div>
      </form>
      {!open && <p class="muted">Not connected: what you type is kept until the table is back.</p>}
    </section>
  );
}
