import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainChat, readFrame } from '../../src/session/frame';
import { ClientMessageSchema } from '../../src/session/protocol';

describe('readFrame', () => {
  it('reads a well-formed frame, with its id as the reference errors answer', () => {
    expect(readFrame('{"type":"chat","text":"hi","id":"c1"}')).toEqual({ msg: { type: 'chat', text: 'hi', mode: 'ooc', id: 'c1' }, ref: 'c1' });
  });

  it('refuses binary and unparsable frames as malformed JSON', () => {
    expect(readFrame(new TextEncoder().encode('{}').buffer as ArrayBuffer)).toEqual({ error: { code: 'malformed_json', message: 'Send JSON text frames' } });
    expect(readFrame('{"type":')).toEqual({ error: { code: 'malformed_json', message: 'The frame is not valid JSON' } });
  });

  it('refuses a frame nested deeper than the limit before parsing it', () => {
    expect(readFrame(`${'['.repeat(40)}${']'.repeat(40)}`)).toEqual({ error: { code: 'invalid_message', message: 'Frames may nest at most 32 levels deep' } });
  });

  it('names the fields of a known type that are wrong, and answers its id', () => {
    const frame = readFrame('{"type":"chat","text":42,"id":"c2"}');
    expect(frame).toMatchObject({ error: { code: 'invalid_message', message: 'The message has invalid fields', ref: 'c2' } });
    expect('error' in frame && frame.error.errors?.map((e) => e.path)).toEqual(['text']);
  });

  it('says which type it does not know, cut short', () => {
    expect(readFrame('{"type":"dance","id":"c3"}')).toEqual({ error: { code: 'unknown_type', message: 'Unknown message type "dance"', ref: 'c3' } });
    expect(readFrame('[1]')).toEqual({ error: { code: 'unknown_type', message: 'Unknown message type null' } });
    expect((readFrame(JSON.stringify({ type: 'x'.repeat(200) })) as { error: { message: string } }).error.message).toHaveLength('Unknown message type '.length + 40);
  });

  describe('plain chat lines, read without the schema', () => {
    const value = fc.oneof(
      fc.constantFrom('chat', 'ic', 'ooc', 'IC', '', ' ', '\u00a0hi\u2028', 'x'.repeat(64), 'x'.repeat(65), 'y'.repeat(2000), ` ${'y'.repeat(2000)} `, 'y'.repeat(2001), '00000000-0000-4000-8000-000000000001'),
      fc.string({ maxLength: 80 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
    );
    const key = fc.constantFrom('type', 'type', 'text', 'text', 'mode', 'id', 'characterId', 'extra', '__proto__', 'constructor');
    // Built through JSON, as frames arrive: "__proto__" is an own key there, not the prototype.
    const frame = fc.dictionary(key, value, { maxKeys: 5 }).map((d) => JSON.parse(JSON.stringify({ type: 'chat', text: 'hi', ...d })) as unknown);

    it('accepts only what the schema accepts, as the same message', () => {
      fc.assert(fc.property(frame, (raw) => {
        const quick = plainChat(raw);
        if (quick === null) return;
        expect(quick).toEqual(ClientMessageSchema.parse(raw));
      }), { numRuns: 5000 });
    });

    it('takes every ordinary chat line (so the schema is the exception, not the rule)', () => {
      const line = fc.record({ type: fc.constant('chat'), text: fc.string({ minLength: 1, maxLength: 300 }).filter((t) => t.trim().length > 0), mode: fc.constantFrom('ic', 'ooc'), id: fc.string({ minLength: 1, maxLength: 64 }) }, { requiredKeys: ['type', 'text'] });
      fc.assert(fc.property(line, (raw) => {
        expect(plainChat(JSON.parse(JSON.stringify(raw)))).toEqual(ClientMessageSchema.parse(raw));
      }), { numRuns: 2000 });
    });

    it('leaves a line with a character, an unknown field or a blank text to the schema', () => {
      expect(plainChat({ type: 'chat', text: 'hi', characterId: '00000000-0000-4000-8000-000000000001' })).toBeNull();
      expect(plainChat({ type: 'chat', text: 'hi', colour: 'red' })).toBeNull();
      expect(plainChat({ type: 'chat', text: '   ' })).toBeNull();
      expect(readFrame('{"type":"chat","text":"   "}')).toMatchObject({ error: { code: 'invalid_message' } });
      expect(readFrame('{"type":"chat","text":" hi ","mode":"ic","id":"c9"}')).toEqual({ msg: { type: 'chat', text: 'hi', mode: 'ic', id: 'c9' }, ref: 'c9' });
    });
  });
});
