/**
 * A roll as the table sees it: every die, marked kept, dropped, rerolled or
 * exploded, the total, a check's breakdown, an attack's damage, and who may
 * see it. `dieViews` is the pure part (unit-tested); the card only lays it out.
 */
import type { Die, DiceGroupResult } from '../../../src/game/dice/roll';
import type { RollEvent } from './events';

export interface DieView {
  value: string;
  /** CSS classes: kept, dropped, rerolled, exploded, crit, fumble, success, failure. */
  classes: string[];
  /** What a screen reader says for this die. */
  label: string;
}

/** How each die of a group looks and reads. A natural max/min on a d20 is marked as a crit/fumble. */
export function dieViews(group: Pick<DiceGroupResult, 'sides' | 'dice'>): DieView[] {
  return group.dice.map((d: Die) => {
    const classes = [d.kept ? 'kept' : 'dropped'];
    const notes: string[] = [];
    if (d.dropped) notes.push('dropped');
    if (d.rerolled) (classes.push('rerolled'), notes.push('rerolled'));
    if (d.explosion) (classes.push('exploded'), notes.push('exploded'));
    if (d.success) (classes.push('success'), notes.push('success'));
    if (d.failure) (classes.push('failure'), notes.push('failure'));
    if (group.sides === 20 && d.kept && d.value === 20) classes.push('crit');
    if (group.sides === 20 && d.kept && d.value === 1) classes.push('fumble');
    const value = group.sides === 'F' ? (d.value > 0 ? '+' : d.value < 0 ? '−' : '0') : String(d.value);
    return { value, classes, label: notes.length ? `${value} (${notes.join(', ')})` : value };
  });
}

const VISIBILITY_LABEL: Record<string, string> = { gm: 'Hidden: GM only', blind: 'Blind: only the GM sees the result', self: 'Private: only you' };

function Groups({ groups }: { groups: DiceGroupResult[] }) {
  return (
    <ul class="dice-groups">
      {groups.map((g, i) => (
        <li key={i} class="dice-group">
          <span class="notation">{g.notation}</span>
          <span class="dice" role="list" aria-label={`${g.notation}: ${dieViews(g).map((d) => d.label).join(', ')}`}>
            {dieViews(g).map((d, j) => (
              <span key={j} role="listitem" class={`die ${d.classes.join(' ')}`} title={d.label}>{d.value}</span>
            ))}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function RollCard({ roll, canReveal, onReveal }: { roll: RollEvent; canReveal?: boolean; onReveal?: () => void }) {
  const who = roll.character?.name ?? roll.actor?.displayName ?? 'Someone';
  const title = roll.check?.label ?? roll.label ?? roll.expression ?? 'Roll';
  const visibility = roll.visibility && roll.visibility !== 'public' ? VISIBILITY_LABEL[roll.visibility] : null;
  if (roll.removed && roll.total === undefined) return <div class="roll-card removed">A roll was removed by the GM</div>;
  return (
    <article class={`roll-card${visibility ? ' secret' : ''}${roll.critical ? ' critical' : ''}${roll.fumble ? ' fumbled' : ''}`} aria-label={`${who} rolled ${title}: ${roll.total ?? 'hidden'}`}>
      <header>
        <strong>{who}</strong> <span class="roll-title">{title}</span>
        {visibility && <span class="badge">{visibility}</span>}
      </header>
      {roll.groups && roll.groups.length > 0 && <Groups groups={roll.groups} />}
      {roll.check && roll.check.parts.length > 0 && (
        <p class="parts">{roll.check.parts.map((p) => `${p.label} ${p.value >= 0 ? '+' : '−'}${Math.abs(p.value)}`).join(' · ')}
          {roll.check.mode !== 'normal' && <> · {roll.check.mode}{roll.check.reasons.length ? ` (${roll.check.reasons.join(', ')})` : ''}</>}
        </p>
      )}
      <p class="total">
        {roll.total === null || roll.total === undefined ? <span>{roll.text ?? 'Result hidden'}</span> : <><span class="sr-only">Total </span><output>{roll.total}</output></>}
        {roll.critical && <span class="badge crit">Critical hit</span>}
        {roll.fumble && <span class="badge fumble">Natural 1</span>}
        {typeof roll.dc === 'number' && <span class={`badge ${roll.success ? 'success' : 'failure'}`}>DC {roll.dc}: {roll.success ? 'success' : 'failure'}</span>}
      </p>
      {roll.damage && (
        <div class="damage">
          <span>Damage{roll.damage.type ? ` (${roll.damage.type})` : ''}: <strong>{roll.damage.total}</strong></span>
          <Groups groups={roll.damage.groups} />
        </div>
      )}
      {canReveal && <button type="button" class="link" onClick={onReveal}>Reveal to the table</button>}
    </article>
  );
}
