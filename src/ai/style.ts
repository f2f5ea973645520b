/**
 * The narrator's voice for a campaign: a built-in profile per genre, or one
 * derived from a sample of prose the GM pastes (sentence length, person,
 * tense, the words it leans on), turned into instructions for the system
 * prompt. Pure and deterministic: the same sample gives the same profile.
 */

export const STYLE_PRESETS = {
  'heroic-fantasy': 'Heroic fantasy: vivid, confident, a little grand; clear stakes; wonder over gore.',
  grimdark: 'Grimdark: terse and bleak; mud, cost and consequence; no easy victories; violence shown briefly and without relish.',
  horror: 'Horror: slow, close and sensory; what is half-seen and heard; dread before the reveal; short sentences when it strikes.',
  whimsical: 'Whimsical: light, playful and warm; odd details and gentle humour; danger that is real but never cruel.',
  noir: 'Noir: first-hand, world-weary and concrete; rain, neon and smoke; sharp similes; everyone wants something.',
  'sci-fi': 'Science fiction: precise and tactile; machines, light and scale; technology described by what it does.',
} as const;

export type StylePreset = keyof typeof STYLE_PRESETS;

const STOP = new Set('the a an and or but of to in on at by for with from as is are was were be been it its this that these those you your we our they their he she his her him i me my not no so then than there here into over under up down out off all any each some such very just too can could would should will shall may might must have has had do does did what which who whom whose when where why how'.split(' '));

/** Instructions derived from a sample of the GM's prose. */
export function styleFromSample(sample: string): string {
  const text = sample.replace(/\s+/g, ' ').trim().slice(0, 5000);
  const sentences = text.split(/(?<=[.!?…])\s+/).filter((s) => /\w/.test(s));
  const words = text.toLowerCase().match(/[a-z’']+/g) ?? [];
  if (sentences.length === 0 || words.length < 20) return 'Match the GM\'s own voice (the sample was too short to read a style from).';
  const average = Math.round(words.length / sentences.length);
  const count = (re: RegExp) => words.filter((w) => re.test(w)).length;
  const second = count(/^(you|your|yours)$/), first = count(/^(i|me|my|we|our)$/);
  const past = count(/ed$/) + count(/^(was|were|had|did|saw|came|went|felt|said)$/), present = count(/^(is|are|has|does|sees|comes|goes|feels|says)$/);
  const frequent = [...words.filter((w) => w.length > 3 && !STOP.has(w)).reduce((m, w) => m.set(w, (m.get(w) ?? 0) + 1), new Map<string, number>())]
    .filter(([, n]) => n > 1).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 6).map(([w]) => w);
  const lines = [
    `Sentences of about ${average} words${average <= 10 ? ' (short and punchy)' : average >= 22 ? ' (long and flowing)' : ''}.`,
    second > first ? 'Address the players as "you".' : first > second ? 'Narrate from inside a character ("I", "we").' : 'Narrate in the third person.',
    past > present ? 'Past tense.' : 'Present tense.',
  ];
  if (text.includes('—') || text.includes(' - ')) lines.push('Dashes for asides and breaks.');
  if (frequent.length) lines.push(`Lean on words like: ${frequent.join(', ')}.`);
  return `In the GM's own voice: ${lines.join(' ')}`;
}
