/** The parser the metrics tests read our exposition with (the package ships no types). */
declare module 'parse-prometheus-text-format' {
  interface ParsedFamily { name: string; help: string; type: string; metrics: { value: string; labels?: Record<string, string> }[] }
  export default function parse(text: string): ParsedFamily[];
}
