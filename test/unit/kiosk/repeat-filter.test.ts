import { describe, expect, it } from 'vitest';
import { RepeatFilter } from '../../../src/kiosk/scan/repeat-filter';

const opts = { holdMs: 4000, goneMs: 1200, goneMisses: 6 };

/** The camera sees nothing from `from` to `to` (ms), one attempt every `every` ms. */
function away(f: RepeatFilter, from: number, to: number, every = 33) {
  for (let t = from; t < to; t += every) f.miss();
}

describe('RepeatFilter', () => {
  it('a code held steadily is judged once, however long it is held', () => {
    const f = new RepeatFilter(opts);
    expect(f.isNew('A', 0)).toBe(true);
    for (let t = 33; t < 60_000; t += 33) expect(f.isNew('A', t)).toBe(false);
  });

  it('a different code is judged at once, and so is the first one coming back after it', () => {
    const f = new RepeatFilter(opts);
    expect(f.isNew('A', 0)).toBe(true);
    expect(f.isNew('B', 100)).toBe(true);
    expect(f.isNew('B', 133)).toBe(false);
    expect(f.isNew('A', 200)).toBe(true);
  });

  it('the same code taken away and shown again is ignored within the hold, judged after it', () => {
    const f = new RepeatFilter(opts);
    expect(f.isNew('A', 0)).toBe(true);
    away(f, 33, 2000);
    // Back within the 4 s hold: still the same showing.
    expect(f.isNew('A', 2000)).toBe(false);
    away(f, 2033, 5000);
    // Away again for 3 s, back after the hold: a new showing.
    expect(f.isNew('A', 5000)).toBe(true);
  });

  it('a few missed frames, or a slow tablet, are not the code leaving the view', () => {
    const f = new RepeatFilter(opts);
    expect(f.isNew('A', 0)).toBe(true);
    // Read once a second with a few misses in between: never judged again.
    for (let t = 1000; t < 20_000; t += 1000) {
      away(f, t - 1000 + 33, t - 1000 + 150);
      expect(f.isNew('A', t)).toBe(false);
    }
    // A tablet so busy it reads every 2 s, with no attempt in between: still in view.
    for (let t = 22_000; t < 40_000; t += 2000) expect(f.isNew('A', t)).toBe(false);
  });

  it('while nothing may be judged, the code in view stays in view and another waits its turn', () => {
    const f = new RepeatFilter(opts);
    expect(f.isNew('A', 0)).toBe(true);
    for (let t = 33; t < 10_000; t += 33) f.stillInView('A', t);
    expect(f.isNew('A', 10_000)).toBe(false);
    f.stillInView('B', 10_100);
    expect(f.isNew('B', 10_200)).toBe(true);
  });

  it('after a reset the next read is judged whatever it is', () => {
    const f = new RepeatFilter(opts);
    f.isNew('A', 0);
    f.reset();
    expect(f.isNew('A', 10)).toBe(true);
  });
});
