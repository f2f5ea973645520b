/**
 * Router factory and OpenAPI helpers shared by every route module.
 * Each route is declared with `createRoute` so its zod schemas both validate
 * the request and describe it in /api/openapi.json.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from './app-env';
import { findIllFormedString } from '../lib/json-limits';
import { validationError } from '../lib/problem';
import { ProblemSchema } from './problem-schema';

/**
 * A router whose validation failures become 400 problems listing each bad field.
 * Valid input is also checked for ill-formed Unicode, which JSON escapes can
 * smuggle in and which would be stored mangled.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      const part = result.target === 'json' ? 'body' : result.target;
      if (!result.success) throw validationError(result.error.issues, part);
      const bad = findIllFormedString(result.data);
      if (bad) {
        throw validationError([{ code: 'custom', path: bad, message: 'Text must be valid Unicode (no lone surrogates)', input: undefined }], part);
      }
    },
  });
}

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

/** Error responses every authenticated route may give; spread into `responses`. */
export const commonErrors = {
  400: { description: 'Invalid input (fields listed in `errors`)', content: problemContent },
  401: { description: 'Missing, expired or revoked credentials', content: problemContent },
  403: { description: 'Your role in this campaign does not allow this', content: problemContent },
  404: { description: 'Not found, or not visible to you', content: problemContent },
  409: { description: 'Conflicts with the current state', content: problemContent },
  413: { description: 'Body too large', content: problemContent },
  429: { description: 'Rate limited (see Retry-After)', content: problemContent },
} as const;

/**
 * A JSON request body, required. Object bodies are strict: an unknown field
 * (often a typo such as `nmae`) is a 400 naming it, not silently ignored.
 */
export function jsonBody<T extends z.ZodType>(schema: T, description = 'JSON body') {
  const strict = (schema instanceof z.ZodObject ? schema.strict() : schema) as T;
  return { required: true, description, content: { 'application/json': { schema: strict } } };
}

/** A JSON success response. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

export const bearerSecurity = [{ bearerAuth: [] as string[] }];

export const IdParam = z.string().uuid().openapi({ example: '7b0c8e5e-3c59-4f0b-9e58-8f0b8c8d1a11' });
export const CampaignParams = z.object({ campaignId: IdParam });
export const CampaignItemParams = z.object({ campaignId: IdParam, id: IdParam });

/** Query parameters for paged lists: `?limit=&offset=`. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
