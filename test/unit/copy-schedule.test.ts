import { describe, expect, it } from 'vitest';
import { CopySchedule } from '../../src/session/copy-schedule';

const { LOOK_AGAIN_MS, QUIET_MS, MAX_DELAY_MS } = CopySchedule;

describe('CopySchedule', () => {
  it('copies at once when it knows of no activity (a restarted room)', () => {
    expect(new CopySchedule().wait(123_456)).toBe(0);
  });

  it('waits while the table is busy, looking again later rather than at the first possible lull', () => {
    const copy = new CopySchedule();
    copy.logged(0);
    copy.logged(1_500);
    expect(copy.wait(2_000)).toBe(LOOK_AGAIN_MS);
  });

  it('copies after the quiet interval with no new event', () => {
    const copy = new CopySchedule();
    copy.logged(0);
    expect(copy.wait(QUIET_MS - 1)).toBe(LOOK_AGAIN_MS);
    expect(copy.wait(QUIET_MS)).toBe(0);
  });

  it('never waits past the maximum delay after the oldest uncopied event, however busy', () => {
    const copy = new CopySchedule();
    for (let at = 0; at <= MAX_DELAY_MS; at += 500) copy.logged(at);
    expect(copy.wait(MAX_DELAY_MS - 4_000)).toBe(4_000);
    expect(copy.wait(MAX_DELAY_MS)).toBe(0);
  });

  it('measures the maximum delay from the oldest event copied since, not the first ever', () => {
    const copy = new CopySchedule();
    copy.logged(0);
    copy.copied();
    copy.logged(50_000);
    copy.logged(MAX_DELAY_MS + 500);
    // Had the first event still counted, the copy would be overdue here.
    expect(copy.wait(MAX_DELAY_MS + 1_000)).toBe(LOOK_AGAIN_MS);
    expect(copy.wait(MAX_DELAY_MS + 500 + QUIET_MS)).toBe(0);
  });
});
