/**
 * What a narration may ask of the game, in a form the server checks: the model
 * ends its text with directive lines, which are cut from what the table sees
 * and applied only through the table's own rules (services and the engine),
 * never by trusting numbers in prose.
 *
 *   [[roll: Tamsin | Dexterity save | DC 14]]          ask a character's player for a roll
 *   [[attitude: Belak | Tamsin | -1 | she insulted him]]   an NPC's feeling for a character moves a step
 *
 * Pure. At most MAX_EACH of each kind are taken; anything malformed is dropped.
 */

export interface RollDirective { character: string; check: string; dc: number | null }
export interface AttitudeDirective { npc: string; character: string; step: -2 | -1 | 1 | 2; why: string }

export const MAX_EACH = 2;
const DIRECTIVE = /\[\[\s*(roll|attitude)\s*:([^\]]{1,300})\]\]/gi;

/** The instructions the narrator's system prompt carries about directives. */
export const DIRECTIVE_RULES = [
  'If a character must roll before the outcome can be told, stop and end with one line: [[roll: <character name> | <check, e.g. Dexterity save or Stealth> | DC <number>]]. The server asks the player and rolls; you will read the result next time.',
  'If what was said or done changes how an NPC feels about a character, end with one line: [[attitude: <NPC name> | <character name> | <-2, -1, +1 or +2> | <why, a few words>]]. A slight is -1, a favour +1.',
].join('\n');

const cell = (text: string | undefined, max: number) => (text ?? '').trim().slice(0, max);

export function extractDirectives(text: string): { text: string; rolls: RollDirective[]; attitudes: AttitudeDirective[] } {
  const rolls: RollDirective[] = [];
  const attitudes: AttitudeDirective[] = [];
  for (const match of text.matchAll(DIRECTIVE)) {
    const parts = match[2]!.split('|').map((p) => p.trim());
    if (match[1]!.toLowerCase() === 'roll' && rolls.length < MAX_EACH) {
      const [character, check, dc] = parts;
      const number = /^(?:DC\s*)?(\d{1,2})$/i.exec(dc ?? '')?.[1];
      if (cell(character, 80) && cell(check, 60)) rolls.push({ character: cell(character, 80), check: cell(check, 60), dc: number ? Number(number) : null });
    } else if (match[1]!.toLowerCase() === 'attitude' && attitudes.length < MAX_EACH) {
      const [npc, character, step, why] = parts;
      const n = Number((step ?? '').replace(/^\+/, ''));
      if (cell(npc, 80) && cell(character, 80) && [-2, -1, 1, 2].includes(n)) attitudes.push({ npc: cell(npc, 80), character: cell(character, 80), step: n as AttitudeDirective['step'], why: cell(why, 200) });
    }
  }
  return { text: text.replace(DIRECTIVE, '').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim(), rolls, attitudes };
}

/**
 * Cuts directives out of a stream as it arrives, so the table never sees them: text from a `[[` is held back
 * until its `]]` (then dropped) or until it cannot be a directive (then released).
 */
export class DirectiveStripper {
  #held = '';

  push(chunk: string): string {
    this.#held += chunk;
    let out = '';
    for (;;) {
      const open = this.#held.indexOf('[[');
      if (open < 0) {
        // A trailing "[" may be the start of "[[": keep it for the next chunk.
        const keep = this.#held.endsWith('[') ? 1 : 0;
        out += this.#held.slice(0, this.#held.length - keep);
        this.#held = this.#held.slice(this.#held.length - keep);
        return out;
      }
      out += this.#held.slice(0, open);
      this.#held = this.#held.slice(open);
      const close = this.#held.indexOf(']]');
      if (close < 0) {
        if (this.#held.length > 320) { out += this.#held; this.#held = ''; }
        return out;
      }
      const candidate = this.#held.slice(0, close + 2);
      this.#held = this.#held.slice(close + 2);
      if (!/^\[\[\s*(roll|attitude)\s*:/i.test(candidate)) out += candidate;
    }
  }

  /** What is still held at the end (an unfinished "[[…" is not a directive). */
  end(): string {
    const rest = this.#held;
    this.#held = '';
    return rest;
  }
}
