/**
 * Typed fakes of the production semantic bindings (Workers AI embeddings and
 * Vectorize), which have no local simulator. The embedding is a hashed bag of
 * words: crude, but deterministic and similar texts land close together.
 */
import { EMBEDDING_MODEL, type EmbeddingAi, type VectorIndex } from '../../src/rules/embeddings';
import { words } from '../../src/rules/normalize';

const DIMS = 256;

function hashEmbed(text: string): number[] {
  const v = new Array(DIMS).fill(0);
  for (const w of words(text)) {
    let h = 2166136261;
    for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 16777619);
    v[Math.abs(h) % DIMS] += 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

export class FakeAi implements EmbeddingAi {
  calls: { model: string; texts: number }[] = [];
  async run(model: typeof EMBEDDING_MODEL, input: { text: string[]; pooling: 'cls' }) {
    if (model !== EMBEDDING_MODEL || input.pooling !== 'cls') throw new Error('unexpected model or pooling');
    this.calls.push({ model, texts: input.text.length });
    return { shape: [input.text.length, DIMS], data: input.text.map(hashEmbed) };
  }
}

interface Stored {
  id: string;
  values: number[];
  namespace?: string;
  metadata?: Record<string, string | number>;
}

export class FakeVectorize implements VectorIndex {
  readonly vectors = new Map<string, Stored>();
  async upsert(vectors: Stored[]) {
    for (const v of vectors) this.vectors.set(v.id, v);
    return { mutationId: 'fake' };
  }
  async query(vector: number[], options: { topK: number; namespace?: string; filter?: Record<string, unknown>; returnMetadata?: string }) {
    const matches = [...this.vectors.values()]
      .filter((v) => v.namespace === options.namespace)
      .filter((v) => Object.entries(options.filter ?? {}).every(([k, want]) => v.metadata?.[k] === want))
      .map((v) => ({ id: v.id, score: v.values.reduce((s, x, i) => s + x * vector[i]!, 0), metadata: v.metadata }))
      .sort((a, b) => b.score - a.score)
      .slice(0, options.topK);
    return { matches, count: matches.length };
  }
  async deleteByIds(ids: string[]) {
    for (const id of ids) this.vectors.delete(id);
    return { mutationId: 'fake' };
  }
}
