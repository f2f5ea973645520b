/**
 * Server-sent events from a byte stream, as OpenAI-compatible servers and
 * Workers AI send them: `data:` lines grouped by blank lines, `:` comment
 * lines (keep-alives) ignored, `data: [DONE]` ending the stream. Bounded:
 * an event over MAX_EVENT_BYTES is an error, not a memory problem.
 */
import { ProviderError } from './provider';

const MAX_EVENT_BYTES = 1024 * 1024;

/** Yields the `data` of each event (joined lines), stopping at `[DONE]`. */
export async function* sseData(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (signal?.aborted) throw new ProviderError('cancelled', 'The narration was cancelled');
      const { value, done } = await reader.read();
      if (signal?.aborted) throw new ProviderError('cancelled', 'The narration was cancelled');
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      if (buffer.length > MAX_EVENT_BYTES) throw new ProviderError('bad_response', 'The model sent an event larger than 1 MB');
      let newline: number;
      while ((newline = buffer.search(/\r?\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer[newline] === '\r' ? 2 : 1));
        if (line === '') {
          if (data.length) {
            const event = data.join('\n');
            data = [];
            if (event.trim() === '[DONE]') return;
            yield event;
          }
        } else if (line.startsWith(':')) {
          // A keep-alive comment.
        } else if (line.startsWith('data:')) {
          data.push(line.slice(5).replace(/^ /, ''));
        }
        // Other fields (event:, id:, retry:) carry nothing the narrator needs.
      }
    }
    if (data.length && data.join('\n').trim() !== '[DONE]') yield data.join('\n');
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Frees the connection when the stream ended early ([DONE], an error, a cancel).
    await reader.cancel().catch(() => undefined);
  }
}
