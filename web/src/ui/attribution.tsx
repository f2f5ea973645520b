/** The licence line that must accompany rulebook text wherever it is shown (the SRD is CC-BY-4.0). */
export const SRD_ATTRIBUTION = 'This work includes material taken from the System Reference Document 5.1 ("SRD 5.1") by Wizards of the Coast LLC and available at https://dnd.wizards.com/resources/systems-reference-document. The SRD 5.1 is licensed under the Creative Commons Attribution 4.0 International License available at https://creativecommons.org/licenses/by/4.0/legalcode.';

/** A rulebook's licence statement, shown under its text (nothing when the GM gave none: never a claim we cannot know). */
export function Attribution({ text }: { text?: string }) {
  return text?.trim() ? <p class="attribution"><small>{text.trim()}</small></p> : null;
}
