/**
 * The initiative tracker: order, round, whose turn it is, hit points (exact for
 * the GM and a character's owner, a band for monsters as players see them),
 * conditions; the GM adds monsters and characters, starts, advances and ends,
 * and applies damage, healing and conditions.
 */
import { useState } from 'preact/hooks';
import { turnOrder } from '../../../src/game/initiative';
import type { ClientMessage, SeenCombatant } from './events';
import type { Me, TableState } from './state';

const BAND: Record<string, string> = { healthy: 'Healthy', injured: 'Injured', bloodied: 'Bloodied', unconscious: 'Unconscious', dead: 'Dead' };

function Health({ c, me }: { c: SeenCombatant; me: Me | null }) {
  if (c.hp && (me?.role === 'gm' || c.ownerUserId === me?.userId || c.kind === 'character')) {
    return <span class="hp">{c.hp.current}/{c.hp.max} HP{c.hp.temp ? ` (+${c.hp.temp})` : ''}</span>;
  }
  if (c.health) return <span class={`band ${c.health}`}>{BAND[c.health] ?? c.health}</span>;
  return null;
}

export function Initiative({ state, send, characters }: { state: TableState; send: (m: ClientMessage) => void; characters: { id: string; name: string; ownerUserId: string | null }[] }) {
  const gm = state.me?.role === 'gm';
  const { encounter } = state;
  const [name, setName] = useState('Goblin');
  const [bonus, setBonus] = useState(2);
  const [hp, setHp] = useState(7);
  const [ac, setAc] = useState(15);
  const [amount, setAmount] = useState<Record<string, string>>({});
  const current = encounter.combatants.find((c) => c.id === encounter.currentId);
  // The server's own turn order, delayed combatants after it.
  const order = [...(turnOrder(encounter.combatants) as SeenCombatant[]), ...encounter.combatants.filter((c) => c.delayed)];
  const mine = current && (gm || current.ownerUserId === state.me?.userId);
  const myCharacters = characters.filter((c) => gm || c.ownerUserId === state.me?.userId).filter((c) => !encounter.combatants.some((x) => x.characterId === c.id));
  return (
    <section class="panel initiative" aria-labelledby="initiative-title">
      <div class="panel-head">
        <h2 id="initiative-title">Initiative</h2>
        <span role="status">{encounter.active ? `Round ${encounter.round}${current ? ` · ${current.name}'s turn` : ''}` : encounter.combatants.length ? 'Not started' : 'No combat'}</span>
      </div>
      {encounter.combatants.length > 0 && (
        <ol class="combatants">
          {order.map((c) => {
            const active = c.id === encounter.currentId && encounter.active;
            return (
              <li key={c.id} class={`combatant ${c.kind}${active ? ' active' : ''}`} aria-current={active ? 'step' : undefined}>
                <span class="init" aria-label={`Initiative ${c.initiative}`}>{c.initiative}</span>
                <span class="name">{c.name}{active && <span class="sr-only"> (current turn)</span>}{c.delayed && <span class="muted"> · delayed</span>}{c.readied && <span class="muted"> · readied: {c.readied.trigger}</span>}</span>
                <Health c={c} me={state.me} />
                {gm && c.armorClass !== null && <span class="muted">AC {c.armorClass}</span>}
                {c.conditions.length > 0 && <span class="conditions">{c.conditions.map((k) => <span key={k.name} class="badge">{k.name}{k.remaining ? ` (${k.remaining})` : ''}</span>)}</span>}
                {gm && (
                  <span class="hp-controls">
                    <input type="number" min={1} aria-label={`Amount for ${c.name}`} value={amount[c.id] ?? ''} onInput={(e) => setAmount({ ...amount, [c.id]: (e.currentTarget as HTMLInputElement).value })} />
                    <button type="button" class="small" aria-label={`Damage ${c.name}`} onClick={() => Number(amount[c.id]) > 0 && send({ type: 'initiative.hp', combatantId: c.id, damage: Number(amount[c.id]) })}>Damage</button>
                    <button type="button" class="small secondary" aria-label={`Heal ${c.name}`} onClick={() => Number(amount[c.id]) > 0 && send({ type: 'initiative.hp', combatantId: c.id, healing: Number(amount[c.id]) })}>Heal</button>
                    <button type="button" class="small secondary" aria-label={`Condition on ${c.name}`} onClick={() => {
                      const condition = prompt(`Condition for ${c.name} (e.g. poisoned)`);
                      if (condition?.trim()) send({ type: 'condition.add', combatantId: c.id, name: condition.trim(), duration: { kind: 'until_removed' } });
                    }}>Condition</button>
                    <button type="button" class="small link" aria-label={`Remove ${c.name}`} onClick={() => send({ type: 'initiative.remove', combatantId: c.id })}>✕</button>
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      )}
      <div class="buttons">
        {gm && !encounter.active && encounter.combatants.length > 0 && <button type="button" onClick={() => send({ type: 'initiative.start' })}>Start combat</button>}
        {encounter.active && mine && <button type="button" onClick={() => send({ type: 'initiative.next' })}>End turn</button>}
        {gm && encounter.active && <button type="button" class="secondary" onClick={() => send({ type: 'initiative.end' })}>End combat</button>}
      </div>
      {myCharacters.length > 0 && state.me?.role !== 'spectator' && (
        <div class="buttons">
          {myCharacters.map((c) => <button key={c.id} type="button" class="secondary" onClick={() => send({ type: 'initiative.add', kind: 'character', characterId: c.id, bonus: 0, count: 1 })}>Add {c.name}</button>)}
        </div>
      )}
      {gm && (
        <form class="add-monster" onSubmit={(e) => (e.preventDefault(), name.trim() && send({ type: 'initiative.add', kind: 'monster', name: name.trim(), bonus, hp: { max: hp }, armorClass: ac, count: 1 }))}>
          <fieldset>
            <legend>Add a monster</legend>
            <label>Name <input value={name} maxLength={80} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} /></label>
            <label>Init bonus <input type="number" value={bonus} onInput={(e) => setBonus(Number((e.currentTarget as HTMLInputElement).value))} /></label>
            <label>HP <input type="number" min={1} value={hp} onInput={(e) => setHp(Number((e.currentTarget as HTMLInputElement).value))} /></label>
            <label>AC <input type="number" min={0} value={ac} onInput={(e) => setAc(Number((e.currentTarget as HTMLInputElement).value))} /></label>
            <button type="submit">Add monster</button>
          </fieldset>
        </form>
      )}
    </section>
  );
}
