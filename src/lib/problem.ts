/**
 * RFC 9457 problem details: the one shape every error of Lorekeeper takes. Services throw
 * `ProblemError`s (a domain error with a stable `code` and the status it maps to); the HTTP
 * layer answers them as problem+json, MCP as tool errors, the live table as error events.
 *
 * @example
 * throw new ProblemError(404, 'Campaign not found');
 * // → 404 application/problem+json
 * //   { "type": "https://lorekeeper.dev/problems/not-found", "title": "Not Found", "status": 404, "detail": "Campaign not found" }
 */
import type { z } from 'zod';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const PROBLEM_BASE = 'https://lorekeeper.dev/problems/';

export interface FieldError {
  /** Where the bad value is, e.g. `body.sheet.abilities.str` or `query.limit`. */
  path: string;
  message: string;
  code?: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const TITLES: Record<number, [slug: string, title: string]> = {
  400: ['bad-request', 'Bad Request'],
  401: ['unauthorized', 'Unauthorized'],
  403: ['forbidden', 'Forbidden'],
  404: ['not-found', 'Not Found'],
  405: ['method-not-allowed', 'Method Not Allowed'],
  409: ['conflict', 'Conflict'],
  410: ['gone', 'Gone'],
  413: ['payload-too-large', 'Payload Too Large'],
  415: ['unsupported-media-type', 'Unsupported Media Type'],
  422: ['validation-failed', 'Validation Failed'],
  426: ['upgrade-required', 'Upgrade Required'],
  429: ['rate-limited', 'Too Many Requests'],
  499: ['client-closed-request', 'Client Closed Request'],
  500: ['internal', 'Internal Server Error'],
  503: ['unavailable', 'Service Unavailable'],
};

/** Builds a problem object with the conventional type and title for `status`. */
export function problem(status: number, detail: string, extra: Partial<Problem> = {}): Problem {
  const [slug, title] = TITLES[status] ?? ['error', 'Error'];
  return { type: PROBLEM_BASE + slug, title, status, detail, ...extra };
}

/** An error that carries its problem: thrown anywhere, answered by `app.onError`. */
export class ProblemError extends Error {
  readonly problem: Problem;
  readonly headers: Record<string, string>;
  constructor(status: number, detail: string, extra: Partial<Problem> = {}, headers: Record<string, string> = {}) {
    super(detail);
    this.name = 'ProblemError';
    this.problem = problem(status, detail, extra);
    this.headers = headers;
  }
  get status(): number {
    return this.problem.status;
  }
  /** A stable, door-neutral error code (`not-found`, `forbidden`, `conflict`, …): HTTP maps it to a status, MCP to a tool error. */
  get code(): string {
    return this.problem.type.slice(PROBLEM_BASE.length);
  }
}

export const notFound = (what: string) => new ProblemError(404, `${what} not found`);
export const forbidden = (detail: string) => new ProblemError(403, detail);
export const conflict = (detail: string) => new ProblemError(409, detail);

/** Turns zod issues into field errors prefixed with the request part they came from. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], part: string): FieldError[] {
  return issues.map((issue) => ({
    path: [part, ...issue.path.map(String)].join('.'),
    message: issue.message,
    code: issue.code,
  }));
}

export function problemResponse(p: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers },
  });
}

/** A 400 "Validation Failed" problem for zod issues found at `part` (e.g. `body.sheet`). */
export function validationError(issues: readonly z.core.$ZodIssue[], part: string, detail = `The request ${part} is invalid`): ProblemError {
  return new ProblemError(400, detail, {
    type: PROBLEM_BASE + 'validation-failed',
    title: 'Validation Failed',
    errors: fieldErrors(issues, part),
  });
}

/** Parses `value` with `schema` or throws the 400 problem listing every bad field under `part`. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, part: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error.issues, part);
  return result.data;
}
