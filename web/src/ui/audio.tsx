/**
 * Stored audio (a spoken narration, a voice preview) behind a button: fetched with the
 * signed-in user's token only when asked (audio elements cannot send one), then played in a
 * native player with its own controls. Browsers allow playing after the click.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import { ProblemNote } from './forms';

export function AudioClip({ path, label }: { path: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => () => { if (src) URL.revokeObjectURL(src); }, [src]);
  const load = async () => {
    setBusy(true);
    setError(null);
    try {
      setSrc(URL.createObjectURL(await api<Blob>(path, { as: 'blob' })));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (src) return <audio class="clip" controls autoPlay src={src} aria-label={label} />;
  return (
    <span class="clip">
      <button type="button" class="small" onClick={load} disabled={busy}>{busy ? 'Loading…' : '▶ Listen'}<span class="sr-only"> ({label})</span></button>
      <ProblemNote error={error} />
    </span>
  );
}
