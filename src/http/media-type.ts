/**
 * The bare media type of a Content-Type header: lower-cased, parameters dropped.
 * Limits and validators compare this exactly, never by prefix
 * (`application/pdf+json` is not `application/pdf`).
 *
 * @example
 * mediaType('Application/PDF; charset=binary'); // 'application/pdf'
 */
export function mediaType(header: string | null | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}
