import { describe, expect, it } from 'vitest';
import { readFrame } from '../../src/session/frame';

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
});
