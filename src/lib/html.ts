/** Text made safe to place inside HTML (snippets are HTML with only <mark> added by us). */
export const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
