/**
 * Combines ranked lists (lexical FTS5 and semantic Vectorize) into one.
 * Weighted reciprocal-rank fusion: each list contributes weight / (k + rank).
 * Plain RRF (equal weights) can rank below the better list alone, so the
 * weights are parameters, to be chosen by bench/retrieval on the gold set.
 *
 * @example
 * fuse([{ weight: 1, ids: [3, 1, 2] }, { weight: 0.5, ids: [2, 3] }]); // [3, 2, 1]
 */
export interface RankedList {
  weight: number;
  ids: number[];
}

export const RRF_K = 60;

export function fuse(lists: RankedList[], k = RRF_K): { id: number; score: number }[] {
  const scores = new Map<number, number>();
  for (const { weight, ids } of lists) {
    ids.forEach((id, index) => scores.set(id, (scores.get(id) ?? 0) + weight / (k + index + 1)));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id);
}

/**
 * Weights in production: lexical first, semantic as support. NOT yet measured: bench/retrieval
 * can only run the lexical variants locally (no Workers AI here); measure against a deployment
 * with Vectorize before trusting 0.7 (bench/README.md, "Semantic weights").
 */
export const DEFAULT_WEIGHTS = { lexical: 1, semantic: 0.7 };
