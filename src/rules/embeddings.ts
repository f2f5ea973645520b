/**
 * The production semantic path: Workers AI embeddings (bge-base, CLS pooling)
 * upserted to Vectorize with campaign/rulebook/page metadata, one namespace
 * per campaign. Both bindings are optional: locally (and wherever they are
 * not bound) the platform searches lexically only and /health says so.
 */
export const EMBEDDING_MODEL = '@cf/baai/bge-base-en-v1.5';
const EMBED_BATCH = 50;

/** The parts of the bindings we use, so tests can pass typed fakes. */
export interface EmbeddingAi {
  run(model: typeof EMBEDDING_MODEL, input: { text: string[]; pooling: 'cls' }): Promise<{ data: number[][] } | unknown>;
}
export interface VectorIndex {
  upsert(vectors: { id: string; values: number[]; namespace?: string; metadata?: Record<string, string | number> }[]): Promise<unknown>;
  query(vector: number[], options: { topK: number; namespace?: string; filter?: Record<string, unknown>; returnMetadata?: 'none' | 'indexed' | 'all' }): Promise<{ matches: { id: string; score: number; metadata?: Record<string, unknown> }[] }>;
  deleteByIds(ids: string[]): Promise<unknown>;
}

export interface SemanticBindings {
  ai: EmbeddingAi;
  index: VectorIndex;
}

/** The semantic bindings when both are present, else null (lexical only). */
export function semanticBindings(env: { AI?: unknown; VECTORIZE?: unknown }): SemanticBindings | null {
  return env.AI && env.VECTORIZE ? { ai: env.AI as EmbeddingAi, index: env.VECTORIZE as VectorIndex } : null;
}

export async function embed(ai: EmbeddingAi, texts: string[]): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < texts.length; i += EMBED_BATCH) {
    const result = (await ai.run(EMBEDDING_MODEL, { text: texts.slice(i, i + EMBED_BATCH), pooling: 'cls' })) as { data?: number[][] };
    if (!Array.isArray(result.data)) throw new Error('Workers AI returned no embeddings');
    out.push(...result.data);
  }
  return out;
}

export const vectorId = (rulebookId: string, chunkId: number) => `${rulebookId}:${chunkId}`;

export async function indexChunks(
  bindings: SemanticBindings,
  campaignId: string,
  rulebookId: string,
  chunks: { id: number; page: number; contentType: string; heading: string; text: string }[],
) {
  if (chunks.length === 0) return;
  const vectors = await embed(bindings.ai, chunks.map((c) => (c.heading ? `${c.heading}\n${c.text}` : c.text)));
  await bindings.index.upsert(chunks.map((c, i) => ({
    id: vectorId(rulebookId, c.id),
    values: vectors[i]!,
    namespace: campaignId,
    metadata: { campaignId, rulebookId, page: c.page, contentType: c.contentType, chunkId: c.id },
  })));
}

export async function deleteChunkVectors(bindings: SemanticBindings, rulebookId: string, chunkIds: number[]) {
  for (let i = 0; i < chunkIds.length; i += 1000) {
    await bindings.index.deleteByIds(chunkIds.slice(i, i + 1000).map((id) => vectorId(rulebookId, id)));
  }
}
