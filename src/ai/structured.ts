/**
 * Structured output from any provider: ask for JSON that fits a zod schema,
 * take the first JSON object in the answer, validate it, and on failure ask
 * once more with the errors (one repair); a second failure is an error the
 * caller turns into a clear "generation failed". Providers with a JSON-schema
 * mode can be given the schema too; the validation here stays the guard.
 */
import { z } from 'zod';
import { complete, ProviderError, type ChatMessage, type NarrationProvider, type Usage } from './provider';

export class GenerationError extends Error {
  override name = 'GenerationError';
}

/** The first balanced {...} of a text (models wrap JSON in prose and code fences). */
export function firstJsonObject(text: string): unknown {
  const start = text.indexOf('{');
  if (start < 0) throw new Error('no JSON object in the answer');
  let depth = 0;
  let quoted = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return JSON.parse(text.slice(start, i + 1));
  }
  throw new Error('the JSON object is not closed');
}

/** The JSON schema of a zod schema (the output side), or undefined where zod cannot express one. */
export function schemaOf(schema: z.ZodType): Record<string, unknown> | undefined {
  try {
    const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
    return rest;
  } catch {
    return undefined;
  }
}

export async function generateStructured<S extends z.ZodType>(provider: NarrationProvider, messages: ChatMessage[], schema: S, options: { signal?: AbortSignal; maxTokens?: number } = {}): Promise<{ value: z.infer<S>; usage: Usage; attempts: number }> {
  const usage: Usage = { inputTokens: 0, outputTokens: 0 };
  const jsonSchema = schemaOf(schema);
  let conversation = messages;
  for (let attempt = 1; attempt <= 2; attempt++) {
    const out = await complete(provider, { messages: conversation, maxTokens: options.maxTokens ?? 600, temperature: 0.7, signal: options.signal, jsonSchema });
    usage.inputTokens += out.usage?.inputTokens ?? 0;
    usage.outputTokens += out.usage?.outputTokens ?? 0;
    let problem: string;
    try {
      const parsed = schema.safeParse(firstJsonObject(out.text));
      if (parsed.success) return { value: parsed.data, usage, attempts: attempt };
      problem = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ');
    } catch (err) {
      if (err instanceof ProviderError) throw err;
      problem = err instanceof Error ? err.message : 'not JSON';
    }
    conversation = [...messages, { role: 'assistant', content: out.text }, { role: 'user', content: `That did not fit (${problem}). Answer again with only the JSON object.` }];
  }
  throw new GenerationError('The model did not produce valid output twice; try again, or write it yourself');
}
