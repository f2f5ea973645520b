/**
 * Text clean-up for extracted PDF text: ligatures, soft and odd hyphens,
 * non-breaking and odd spaces, and words split across lines.
 *
 * @example
 * normalizeText('e\uFB00ect of the 24-\u00AD\u2010hour ﬁre'); // 'effect of the 24-hour fire'
 */
const LIGATURES: Record<string, string> = { '\uFB00': 'ff', '\uFB01': 'fi', '\uFB02': 'fl', '\uFB03': 'ffi', '\uFB04': 'ffl', '\uFB05': 'st', '\uFB06': 'st' };

export function normalizeText(text: string): string {
  return text
    .replace(/[\uFB00-\uFB06]/g, (l) => LIGATURES[l] ?? l)
    // Soft hyphens vanish; the many Unicode hyphens and dashes used as hyphens become "-", collapsed.
    .replace(/\u00AD/g, '')
    .replace(/[\u2010\u2011\u2012\u2043]/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/[\u2018\u2019\u201B]/g, "'")
    .replace(/[\u201C\u201D\u201F]/g, '"')
    .replace(/[\t\u00A0\u2000-\u200A\u202F\u205F\u3000]/g, ' ')
    .replace(/[\u200B-\u200D\uFEFF]/g, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/**
 * Joins lines of a paragraph, mending words hyphenated at a line break ("suc-" + "ceed" → "succeed") but keeping
 * the hyphen of a compound that happens to break there ("two-" + "handed", "5th-" + "level").
 * @param known whether a joined word is a word (the chunker asks the text around it: the SRD breaks 30 compounds at
 *   their hyphen and no word mid-way); without it every break is mended
 */
export function joinLines(lines: string[], known: (word: string) => boolean = () => true): string {
  let out = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (out.endsWith('-') && /^[a-z]/.test(line) && /[a-z]-$/.test(out)) {
      const joined = `${/[A-Za-z]+(?=-$)/.exec(out)![0]}${/^[a-z]+/.exec(line)![0]}`;
      out = known(joined.toLowerCase()) ? out.slice(0, -1) + line : out + line;
    } else out = out ? `${out} ${line}` : line;
  }
  return out;
}

/** Lower-case words of at least two letters, for vocabularies and matching. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z][a-z']+/g)?.map((w) => w.replace(/'s$/, '').replace(/'/g, '')) ?? [];
}
