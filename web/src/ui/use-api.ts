/** Loads API data for a screen: `{ data, error, loading, reload }`, cancelled when the screen goes away. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';

export function useApi<T>(path: string | null, query?: Record<string, string | number | boolean | undefined>) {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({ data: null, error: null, loading: Boolean(path) });
  const [tick, setTick] = useState(0);
  const key = `${path}?${JSON.stringify(query ?? {})}`;
  useEffect(() => {
    if (!path) return;
    const abort = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    api<T>(path, { query, signal: abort.signal })
      .then((data) => setState({ data, error: null, loading: false }))
      .catch((error: unknown) => !abort.signal.aborted && setState({ data: null, error, loading: false }));
    return () => abort.abort();
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/**
 * Runs a screen's action (a button, a form) and keeps its failure for `ProblemNote`:
 * `run(work)` clears the last error, awaits the work and stores what it threw; `busy` while it runs.
 */
export function useAction() {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (work: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try {
      await work();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }, []);
  return { error, busy, run };
}
