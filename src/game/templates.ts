/**
 * Random tables for the generators when no model is configured (or the
 * allowance is spent): an NPC or a location assembled from short lists, so
 * the GM still gets a usable, editable starting point. Pure: the random
 * source is passed in. What these write is labelled as a template wherever
 * it is shown.
 */
import type { Rng } from './dice';

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.die(items.length) - 1]!;

const NAMES = ['Aldous', 'Brisa', 'Cato', 'Dunya', 'Edric', 'Faela', 'Gorm', 'Hesper', 'Ilse', 'Jaro', 'Kiri', 'Lucan', 'Maren', 'Nox', 'Odile', 'Perrin', 'Quill', 'Rhosyn', 'Sable', 'Tamsin', 'Ulric', 'Vesna', 'Wren', 'Yorick'];
const FAMILY = ['Ashdown', 'Blackbarrow', 'Corlett', 'Dunmore', 'Fairweather', 'Greaves', 'Hollis', 'Marsh', 'Oakes', 'Pell', 'Redmane', 'Thorne'];
const ROLES = ['innkeeper', 'blacksmith', 'priest', 'merchant', 'guard captain', 'herbalist', 'ferryman', 'scholar', 'smuggler', 'hunter', 'minstrel', 'reeve'];
const TRAITS = ['Speaks in a hush, as if overheard', 'Laughs at their own jokes first', 'Counts coins when nervous', 'Never forgets a face', 'Blunt to the point of rudeness', 'Endlessly curious about strangers', 'Quotes proverbs, often wrongly', 'Fidgets with a worn ring'];
const IDEALS = ['Fairness: everyone pays the same price', 'Family above all', 'Knowledge should be shared', 'Order keeps people alive', 'Freedom, whatever it costs', 'A debt is sacred'];
const BONDS = ['A sibling who went missing on the old road', 'The shop their parent built', 'A patron in the city who once saved them', 'The village shrine', 'An apprentice they are training', 'A letter they have never opened'];
const FLAWS = ['Cannot resist a wager', 'Lies to avoid embarrassment', 'Holds a grudge for years', 'Drinks to forget', 'Trusts the powerful too easily', 'Greedy when times are hard'];
const VOICES = ['Low and gravelly, slow to answer', 'Quick and bright, words tumbling over each other', 'Soft, with a lilting northern accent', 'Clipped and formal', 'Warm and booming', 'Dry and nasal, every sentence a complaint'];
const MANNERISMS = ['Taps the table twice before speaking', 'Avoids eye contact', 'Leans in close', 'Wipes hands on an apron', 'Hums under their breath'];
const MOTIVATIONS = ['Wants enough money to leave town for good', 'Is protecting someone the party will meet later', 'Wants revenge on a local noble', 'Is looking for a cure for a sick child', 'Wants the old ways respected'];
const SECRETS = ['Owes money to a thieves\' guild', 'Once served the villain the party is hunting', 'Knows where the missing caravan went', 'Is not who they claim to be', 'Has been passing notes to a spy'];

export interface TemplateNpc {
  name: string;
  data: { role: string; description: string; appearance: string; personality: { traits: string[]; ideals: string[]; bonds: string[]; flaws: string[]; voice: string; mannerisms: string[] }; tags: string[] };
  gmOnly: { motivation: string; secrets: string[]; notes: string };
}

export function templateNpc(rng: Rng, input: { name?: string; role?: string; race?: string }): TemplateNpc {
  const name = input.name ?? `${pick(rng, NAMES)} ${pick(rng, FAMILY)}`;
  const role = input.role ?? pick(rng, ROLES);
  const who = [input.race, role].filter(Boolean).join(' ');
  return {
    name,
    data: {
      role,
      description: `${name} is a ${who} the party may come to rely on, or regret trusting.`,
      appearance: pick(rng, ['Weathered hands and a patched coat', 'Sharp-eyed, grey at the temples', 'Tall, stooped, ink-stained fingers', 'Broad-shouldered with a ready smile', 'Small and wiry, always moving']),
      personality: { traits: [pick(rng, TRAITS)], ideals: [pick(rng, IDEALS)], bonds: [pick(rng, BONDS)], flaws: [pick(rng, FLAWS)], voice: pick(rng, VOICES), mannerisms: [pick(rng, MANNERISMS)] },
      tags: [role],
    },
    gmOnly: { motivation: pick(rng, MOTIVATIONS), secrets: [pick(rng, SECRETS)], notes: '' },
  };
}

const PLACE_KINDS = ['tavern', 'ruined watchtower', 'river crossing', 'temple', 'market square', 'cave', 'manor', 'village'];
const PLACE_WORDS = ['Crooked', 'Hollow', 'Silver', 'Drowned', 'Ember', 'Raven', 'Old', 'Weeping', 'Amber', 'Broken'];
const PLACE_NOUNS = ['Lantern', 'Oak', 'Stair', 'Gate', 'Mill', 'Crown', 'Well', 'Hearth', 'Bridge', 'Barrow'];
const SENSES = ['smells of wet stone and woodsmoke', 'echoes with distant dripping water', 'is lit by guttering tallow candles', 'is colder than it should be', 'hums with quiet conversation that stops when strangers enter'];
const FEATURES = ['a half-collapsed stair leading down', 'a mural scratched out by many hands', 'a locked iron door with fresh scratches', 'an altar with recent offerings', 'a notice board crowded with bounties'];
const PLACE_SECRETS = ['A hidden passage connects it to the old sewers', 'The owner pays a monster to stay away', 'Something valuable is buried beneath the floor', 'It was built on a forgotten battlefield'];

export interface TemplateLocation {
  name: string;
  data: { kind: string; description: string; tags: string[] };
  gmOnly: { secrets: string[]; notes: string };
}

export function templateLocation(rng: Rng, input: { name?: string; kind?: string }): TemplateLocation {
  const kind = input.kind ?? pick(rng, PLACE_KINDS);
  const name = input.name ?? `The ${pick(rng, PLACE_WORDS)} ${pick(rng, PLACE_NOUNS)}`;
  return {
    name,
    data: { kind, description: `${name}, a ${kind}, ${pick(rng, SENSES)}. Among its details: ${pick(rng, FEATURES)}.`, tags: [kind] },
    gmOnly: { secrets: [pick(rng, PLACE_SECRETS)], notes: '' },
  };
}
