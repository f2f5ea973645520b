/**
 * A search snippet arrives HTML-escaped with the query words in <mark>. It is
 * rendered as text nodes, never as HTML: split on the marks, unescape the rest.
 */
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };
const unescape = (s: string) => s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (e) => ENTITIES[e] ?? e);

export function snippetParts(snippet: string): { text: string; marked: boolean }[] {
  return snippet.split(/(<mark>[\s\S]*?<\/mark>)/).filter(Boolean).map((part) => {
    const m = /^<mark>([\s\S]*)<\/mark>$/.exec(part);
    return { text: unescape(m ? m[1]! : part), marked: Boolean(m) };
  });
}

export function Snippet({ html }: { html: string }) {
  return <>{snippetParts(html).map((p, i) => (p.marked ? <mark key={i}>{p.text}</mark> : p.text))}</>;
}
