/**
 * An ended session's recaps: the player-safe one everyone reads and, for the GM, their own; written when the
 * session ends (by the model or a labelled automatic summary) and editable by the GM.
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import type { GameSession } from '../../api/types';
import { Field, ProblemNote } from '../../ui/forms';
import { useAction } from '../../ui/use-api';

export function Recap({ session, gm, onSaved }: { session: GameSession; gm: boolean; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  const [recap, setRecap] = useState(session.recap);
  const [gmRecap, setGmRecap] = useState(session.gmRecap ?? '');
  const { error, busy, run } = useAction();
  const save = (e: Event) => (e.preventDefault(), run(async () => {
    await api(`/sessions/${session.id}`, { method: 'PATCH', body: { recap, gmRecap } });
    setEditing(false);
    onSaved();
  }));
  const fields = error instanceof ApiError ? error.fields : {};
  if (!session.recap && !gm) return null;
  return (
    <details>
      <summary>Recap of “{session.title}”</summary>
      {session.recapLabel && <p class="muted">Written by: {session.recapLabel}</p>}
      {!editing && <p class="prose">{session.recap || 'No recap yet.'}</p>}
      {!editing && gm && session.gmRecap && <div class="gm-only"><p class="badge gm">GM only</p><p class="prose">{session.gmRecap}</p></div>}
      {!editing && gm && <button type="button" class="small" onClick={() => setEditing(true)}>Edit the recaps</button>}
      {editing && (
        <form onSubmit={save} noValidate>
          <Field label="Recap for the players" multiline value={recap} onInput={setRecap} error={fields.recap} />
          <Field label="GM recap (only GMs read it)" multiline value={gmRecap} onInput={setGmRecap} error={fields.gmRecap} />
          <button type="submit" disabled={busy}>Save recaps</button> <button type="button" class="small" onClick={() => setEditing(false)}>Cancel</button>
        </form>
      )}
      <ProblemNote error={error} shown={['recap', 'gmRecap']} />
    </details>
  );
}
