/** Rulebooks: upload a PDF with a progress bar, then watch ingestion page by page until it is searchable. */
import { useEffect, useState } from 'preact/hooks';
import { upload } from '../../api/client';
import type { Campaign, Page, Rulebook } from '../../api/types';
import { SRD_ATTRIBUTION } from '../../ui/attribution';
import { Field, ProblemNote, Section } from '../../ui/forms';
import { useApi } from '../../ui/use-api';

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

function Progress({ book }: { book: Rulebook }) {
  const { pagesDone, pagesTotal, stage } = book.progress;
  if (book.status === 'ready') return <span class="status ready">Ready · {pagesTotal ?? pagesDone} pages · {book.progress.chunks} passages</span>;
  if (book.status === 'failed') return <span class="status failed">Failed: {book.error}</span>;
  return (
    <span class="progress-line">
      <label>
        <span>{stage || book.status}{pagesTotal ? ` · page ${pagesDone} of ${pagesTotal}` : ''}</span>
        <progress max={pagesTotal ?? 1} value={pagesTotal ? pagesDone : undefined} />
      </label>
    </span>
  );
}

export function Rulebooks({ campaign }: { campaign: Campaign }) {
  const gm = campaign.myRole === 'gm';
  const books = useApi<Page<Rulebook>>(`/campaigns/${campaign.id}/rulebooks`);
  const [sent, setSent] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attribution, setAttribution] = useState('');
  const busy = books.data?.items.some((b) => b.status === 'uploaded' || b.status === 'processing');
  // While a book is being read, poll its progress.
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(books.reload, 2000);
    return () => clearInterval(timer);
  }, [busy]);
  const send = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setError(null);
    setSent(0);
    try {
      const title = file.name.replace(/\.pdf$/i, '');
      const query = new URLSearchParams({ title, filename: file.name, attribution: attribution.trim() });
      await upload(`/campaigns/${campaign.id}/rulebooks?${query}`, file, 'application/pdf', setSent);
      books.reload();
    } catch (err) {
      setError(err);
    } finally {
      setSent(null);
      input.value = '';
    }
  };
  return (
    <Section title="Rulebooks">
      <ProblemNote error={error ?? books.error} />
      {books.data?.items.length === 0 && <p>No rulebooks yet.{gm ? ' Upload a PDF to make it searchable with page citations.' : ''}</p>}
      <ul class="rows">
        {books.data?.items.map((b) => (
          <li key={b.id}>
            <span><a href={b.fileUrl} target="_blank" rel="noopener">{b.title}</a> <span class="muted">{b.sourceType} · {mb(b.sizeBytes)}</span>{b.attribution && <small class="attribution block">{b.attribution}</small>}</span>
            <Progress book={b} />
          </li>
        ))}
      </ul>
      {gm && (
        <div class="upload">
          <Field label="Licence and attribution (shown with the book's text)" multiline value={attribution} onInput={setAttribution}
            hint="Required by open licences such as the SRD's CC-BY-4.0; leave empty for your own books." />
          <button type="button" class="secondary small" onClick={() => setAttribution(SRD_ATTRIBUTION)}>Use the SRD 5.1 attribution</button>
          <label for="rulebook-file">Upload a rulebook (PDF)</label>
          <input id="rulebook-file" type="file" accept="application/pdf,.pdf" onChange={send} disabled={sent !== null} />
          {sent !== null && <label class="progress-line">Uploading {Math.round(sent * 100)}% <progress max={1} value={sent} /></label>}
        </div>
      )}
    </Section>
  );
}
