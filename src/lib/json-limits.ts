/**
 * Bounds on untrusted JSON, checked before anything walks it recursively.
 *
 * `jsonTextDepth` scans the raw text without parsing (one pass, no recursion),
 * so a body nested thousands of levels deep is refused before `JSON.parse`,
 * zod or any tree walk sees it. `valueDepth` does the same for a value that
 * arrived already parsed (RPC, tests).
 *
 * @example
 * jsonTextDepth('{"a":[1,{"b":2}]}'); // 3
 * exceedsDepth(JSON.parse(text), MAX_JSON_DEPTH); // false
 */

/** The deepest nesting accepted anywhere JSON comes in (HTTP bodies, WebSocket frames, MCP calls). */
export const MAX_JSON_DEPTH = 32;

/** The deepest `[`/`{` nesting of JSON text; brackets inside strings do not count. Invalid JSON still gets a depth. */
export function jsonTextDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \ */) i++;
      else if (ch === 34 /* " */) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 123 /* { */ || ch === 91 /* [ */) {
      if (++depth > deepest) deepest = depth;
    } else if (ch === 125 /* } */ || ch === 93 /* ] */) depth--;
  }
  return deepest;
}

/** Whether a parsed value nests objects/arrays deeper than `max` (iterative: safe on any input). */
export function exceedsDepth(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return false;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A path kept as a chain of links, so walking a deep value costs no copying. */
interface PathLink { parent: PathLink | null; key: string | number }

const pathOf = (link: PathLink | null): (string | number)[] => {
  const path: (string | number)[] = [];
  for (let l = link; l; l = l.parent) path.push(l.key);
  return path.reverse();
};

/**
 * The path of the first string (value or key) that is not valid Unicode (a lone surrogate
 * such as "\\ud800"), if any. Iterative, so depth cannot overflow the stack.
 */
export function findIllFormedString(value: unknown): (string | number)[] | null {
  const stack: [unknown, PathLink | null][] = [[value, null]];
  while (stack.length) {
    const [v, link] = stack.pop()!;
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) return pathOf(link);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], { parent: link, key: i }]);
    } else if (v && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        if (LONE_SURROGATE.test(key)) return pathOf({ parent: link, key });
        stack.push([child, { parent: link, key }]);
      }
    }
  }
  return null;
}
