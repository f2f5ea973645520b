/**
 * The narrator's providers: an OpenAI-compatible endpoint against a local
 * HTTP server that streams SSE like the real API (deltas, keep-alive
 * comments, usage, `[DONE]`, an error mid-stream, 429 then success, silence,
 * a cancel mid-stream), Workers AI through a typed fake of the binding, and
 * the scripted narrator.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAiCompatibleProvider } from '../../src/ai/openai-compatible';
import { complete, ProviderError, type StreamChunk } from '../../src/ai/provider';
import { SCRIPTED_LABEL, scriptedProvider } from '../../src/ai/scripted';
import { z } from 'zod';
import { workersAiProvider, type AiBinding } from '../../src/ai/workers-ai';
import { generateStructured } from '../../src/ai/structured';
import { openAiSpeech, selectSpeech, toneSpeech, workersAiSpeech } from '../../src/ai/speech';

type Handler = (req: IncomingMessage, res: ServerResponse, body: any) => void;
let server: Server;
let baseUrl: string;
const handlers: Handler[] = [];

const chunk = (content: string) => `data: ${JSON.stringify({ choices: [{ delta: { content }, finish_reason: null }] })}\n\n`;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      (handlers.shift() ?? ((_q, r) => r.writeHead(500).end()))(req, res, raw ? JSON.parse(raw) : null);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const provider = (extra: Partial<Parameters<typeof openAiCompatibleProvider>[0]> = {}) => openAiCompatibleProvider({ baseUrl, model: 'llama3.1', apiKey: 'sk-test', sleep: async () => undefined, ...extra });
const collect = async (stream: AsyncGenerator<StreamChunk>) => { const out: StreamChunk[] = []; for await (const c of stream) out.push(c); return out; };

describe('OpenAI-compatible provider', () => {
  it('streams deltas through keep-alives to [DONE], with usage, sending the model, messages and key', async () => {
    let seen: { body: any; auth?: string; accept?: string } | null = null;
    handlers.push((req, res, body) => {
      seen = { body, auth: req.headers.authorization, accept: req.headers.accept };
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': keep-alive\n\n');
      res.write(chunk('The torch'));
      res.write(chunk(' gutters.'));
      res.write(`data: ${JSON.stringify({ choices: [{ delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 42, completion_tokens: 5 } })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
    const chunks = await collect(provider().stream({ messages: [{ role: 'user', content: 'Describe the hall' }], maxTokens: 100 }));
    expect(chunks).toEqual([{ type: 'text', text: 'The torch' }, { type: 'text', text: ' gutters.' }, { type: 'done', finishReason: 'stop', usage: { inputTokens: 42, outputTokens: 5 } }]);
    expect(seen!.body).toMatchObject({ model: 'llama3.1', stream: true, max_tokens: 100, messages: [{ role: 'user', content: 'Describe the hall' }] });
    expect(seen!.auth).toBe('Bearer sk-test');
    expect(seen!.accept).toBe('text/event-stream');
  });

  it('ends with a bad_response error when the stream carries an error, after the text so far', async () => {
    handlers.push((_q, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk('Half a '));
      res.end(`data: ${JSON.stringify({ error: { message: 'model overloaded' } })}\n\n`);
    });
    const seen: string[] = [];
    await expect((async () => { for await (const c of provider().stream({ messages: [{ role: 'user', content: 'x' }] })) if (c.type === 'text') seen.push(c.text); })())
      .rejects.toMatchObject({ kind: 'bad_response', message: expect.stringContaining('model overloaded') });
    expect(seen).toEqual(['Half a ']);
  });

  it('retries a 429 (with Retry-After) and a 503, then streams', async () => {
    const waits: number[] = [];
    handlers.push((_q, res) => res.writeHead(429, { 'retry-after': '2' }).end('slow down'));
    handlers.push((_q, res) => res.writeHead(503).end());
    handlers.push((_q, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.end(`${chunk('Finally.')}data: [DONE]\n\n`); });
    const { text } = await complete(provider({ sleep: async (ms) => void waits.push(ms) }), { messages: [{ role: 'user', content: 'x' }] });
    expect(text).toBe('Finally.');
    expect(waits[0]).toBe(2000);
    expect(waits).toHaveLength(2);
  });

  it('gives up after its retries with rate_limited, and refuses a 401 at once', async () => {
    for (let i = 0; i < 3; i++) handlers.push((_q, res) => res.writeHead(429).end());
    await expect(complete(provider(), { messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ kind: 'rate_limited' });
    handlers.push((_q, res) => res.writeHead(401).end());
    await expect(complete(provider(), { messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ kind: 'bad_response', message: expect.stringContaining('401') });
  });

  it('times out when the endpoint stays silent, and says unreachable when nothing listens', async () => {
    handlers.push(() => undefined);
    await expect(complete(provider({ timeoutMs: 200 }), { messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ kind: 'timeout' });
    await expect(complete(openAiCompatibleProvider({ baseUrl: 'http://127.0.0.1:9/v1', model: 'm' }), { messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('stops mid-stream when cancelled, and closes the connection', async () => {
    let closed = false;
    handlers.push((_q, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk('The dragon '));
      // Never finishes by itself.
      const timer = setInterval(() => res.write(': keep-alive\n\n'), 20);
      res.on('close', () => { clearInterval(timer); closed = true; });
    });
    const controller = new AbortController();
    const seen: string[] = [];
    await expect((async () => {
      for await (const c of provider().stream({ messages: [{ role: 'user', content: 'x' }], signal: controller.signal })) {
        if (c.type === 'text') { seen.push(c.text); controller.abort(); }
      }
    })()).rejects.toMatchObject({ kind: 'cancelled' });
    expect(seen).toEqual(['The dragon ']);
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toBe(true);
  });

  it('refuses a malformed chunk', async () => {
    handlers.push((_q, res) => { res.writeHead(200); res.end('data: {not json\n\n'); });
    await expect(complete(provider(), { messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(ProviderError);
  });
});

describe('Workers AI provider (typed fake of the binding)', () => {
  const sse = (events: string[]) => new ReadableStream<Uint8Array>({
    start(controller) {
      for (const e of events) controller.enqueue(new TextEncoder().encode(e));
      controller.close();
    },
  });

  it('streams the response pieces with the model and messages it was given', async () => {
    const calls: [string, Record<string, unknown>][] = [];
    const ai: AiBinding = { run: async (model, inputs) => { calls.push([model, inputs]); return sse(['data: {"response":"Mist "}\n\n', 'data: {"response":"rises."}\n\ndata: {"response":"","usage":{"prompt_tokens":9,"completion_tokens":2}}\n\n', 'data: [DONE]\n\n']); } };
    const result = await complete(workersAiProvider(ai, '@cf/meta/llama-3.3-70b-instruct-fp8-fast'), { messages: [{ role: 'user', content: 'Describe the marsh' }], maxTokens: 50 });
    expect(result).toEqual({ text: 'Mist rises.', usage: { inputTokens: 9, outputTokens: 2 } });
    expect(calls[0]).toEqual(['@cf/meta/llama-3.3-70b-instruct-fp8-fast', { messages: [{ role: 'user', content: 'Describe the marsh' }], stream: true, max_tokens: 50 }]);
  });

  it('turns binding failures into provider errors', async () => {
    await expect(complete(workersAiProvider({ run: async () => { throw new Error('3040: Capacity temporarily exceeded (429)'); } }), { messages: [] })).rejects.toMatchObject({ kind: 'rate_limited' });
    await expect(complete(workersAiProvider({ run: async () => ({ response: 'not streamed' }) }), { messages: [] })).rejects.toMatchObject({ kind: 'bad_response' });
  });

  it('uses JSON mode for structured output: the schema in response_format, the answer whole and validated', async () => {
    const calls: Record<string, unknown>[] = [];
    const ai: AiBinding = { run: async (_model, inputs) => { calls.push(inputs); return { response: { name: 'Mara', age: 40 }, usage: { prompt_tokens: 30, completion_tokens: 8 } }; } };
    const out = await generateStructured(workersAiProvider(ai), [{ role: 'user', content: 'An innkeeper' }], z.object({ name: z.string(), age: z.number().int() }));
    expect(out).toEqual({ value: { name: 'Mara', age: 40 }, usage: { inputTokens: 30, outputTokens: 8 }, attempts: 1 });
    expect(calls[0]).not.toHaveProperty('stream');
    expect(calls[0]!.response_format).toEqual({ type: 'json_schema', json_schema: expect.objectContaining({ type: 'object', required: ['name', 'age'], properties: { name: { type: 'string' }, age: expect.objectContaining({ type: 'integer' }) } }) });
    // A JSON-mode answer that still does not fit is repaired once, like any other provider's.
    let n = 0;
    const sloppy: AiBinding = { run: async () => ({ response: n++ === 0 ? { name: 'Mara' } : '{"name": "Mara", "age": 41}' }) };
    expect((await generateStructured(workersAiProvider(sloppy), [], z.object({ name: z.string(), age: z.number() }))).value).toEqual({ name: 'Mara', age: 41 });
  });
});

describe('scripted narrator', () => {
  it('answers deterministically, streamed word by word, and is labelled as scripted', async () => {
    const scripted = scriptedProvider();
    expect(scripted.label).toBe(SCRIPTED_LABEL);
    const chunks = await collect(scripted.stream({ messages: [{ role: 'system', content: 'You are the GM' }, { role: 'user', content: 'I open the door' }] }));
    const text = chunks.filter((c) => c.type === 'text').map((c) => (c as { text: string }).text).join('');
    expect(text).toMatch(/^\[Scripted narrator\] .*"I open the door"/);
    expect(chunks.filter((c) => c.type === 'text').length).toBeGreaterThan(5);
    expect(chunks.at(-1)).toMatchObject({ type: 'done', finishReason: 'stop' });
    const again = await complete(scripted, { messages: [{ role: 'user', content: 'I open the door' }] });
    expect(again.text).toBe(text);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const stream = scriptedProvider().stream({ messages: [{ role: 'user', content: 'x' }], signal: controller.signal });
    await stream.next();
    controller.abort();
    await expect(stream.next()).rejects.toMatchObject({ kind: 'cancelled' });
  });
});

describe('provider selection', () => {
  it('prefers Workers AI, then a configured endpoint, then the scripted narrator', async () => {
    const { selectProvider } = await import('../../src/ai/select');
    const narrator = { baseUrl: null, model: 'llama3.1', apiKey: null, workersAiModel: null, scriptedDelayMs: 0, perMinute: 6 };
    expect(selectProvider({ AI: { run: async () => null } }, { narrator }).kind).toBe('workers-ai');
    expect(selectProvider({}, { narrator: { ...narrator, baseUrl: 'http://localhost:11434/v1' } })).toMatchObject({ kind: 'openai-compatible', model: 'llama3.1' });
    expect(selectProvider({}, { narrator })).toMatchObject({ kind: 'scripted', label: SCRIPTED_LABEL });
  });
});

describe('speech', () => {
  it('placeholder tones are a valid, deterministic WAV whose length follows the words, labelled', async () => {
    const tones = toneSpeech();
    expect(tones.label).toBe('Placeholder tones (no speech model configured)');
    const a = await tones.synthesize('The gate opens', 'low');
    const view = new DataView(a.bytes.buffer);
    expect(new TextDecoder().decode(a.bytes.slice(0, 4))).toBe('RIFF');
    expect(new TextDecoder().decode(a.bytes.slice(8, 12))).toBe('WAVE');
    expect(view.getUint32(24, true)).toBe(8000);
    expect(view.getUint32(40, true)).toBe(a.bytes.byteLength - 44);
    expect(a.contentType).toBe('audio/wav');
    expect(await tones.synthesize('The gate opens', 'low')).toEqual(a);
    expect((await tones.synthesize('The gate opens slowly tonight', 'low')).bytes.byteLength).toBeGreaterThan(a.bytes.byteLength);
  });

  it('an OpenAI-compatible speech endpoint gets the model, text and voice, and its failures are provider errors', async () => {
    const seen: unknown[] = [];
    const fetcher = (async (url: string, init: RequestInit) => {
      seen.push([url, JSON.parse(String(init.body))]);
      return new Response(new Uint8Array([1, 2, 3]), { headers: { 'content-type': 'audio/mpeg' } });
    }) as unknown as typeof fetch;
    const speech = openAiSpeech({ baseUrl: 'http://127.0.0.1:8880/v1/', model: 'kokoro', fetcher });
    expect(await speech.synthesize('Hello', 'nova')).toEqual({ bytes: new Uint8Array([1, 2, 3]), contentType: 'audio/mpeg' });
    expect(seen).toEqual([['http://127.0.0.1:8880/v1/audio/speech', { model: 'kokoro', input: 'Hello', voice: 'nova', response_format: 'mp3' }]]);
    const limited = openAiSpeech({ baseUrl: 'http://x/v1', model: 'm', fetcher: (async () => new Response('slow down', { status: 429 })) as unknown as typeof fetch });
    await expect(limited.synthesize('Hi', 'nova')).rejects.toMatchObject({ kind: 'rate_limited' });
    const melo = workersAiSpeech({ run: async () => ({ audio: btoa('ID3abc') }) }, '@cf/myshell-ai/melotts');
    expect(melo.voices).toEqual(['en']);
    expect(new TextDecoder().decode((await melo.synthesize('Hi', 'en')).bytes)).toBe('ID3abc');
    expect(selectSpeech({}, { narrator: { speechBaseUrl: null, speechModel: 'tts-1', apiKey: null } }).kind).toBe('tones');
    expect(selectSpeech({}, { narrator: { speechBaseUrl: 'http://localhost:8880/v1', speechModel: 'tts-1', apiKey: null } }).kind).toBe('openai-compatible');
  });
});
