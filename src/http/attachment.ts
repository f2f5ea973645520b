/**
 * The Content-Disposition of a file the API hands out for download: a name
 * made of safe characters (anything else becomes `_`), at most 80 of them,
 * with a fallback when nothing is left.
 *
 * @example
 * attachment('The Sunless Citadel', 'campaign', '.lorekeeper.json'); // 'attachment; filename="The Sunless Citadel.lorekeeper.json"'
 */
export function attachment(name: string, fallback: string, extension: string): string {
  return `attachment; filename="${name.replace(/[^\w .-]+/g, '_').slice(0, 80) || fallback}${extension}"`;
}
