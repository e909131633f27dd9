/**
 * Which decoded texts start a new verdict (research qr.md §1.9, §3.4 point 6). A different code is
 * judged at once. The same code is not judged again while it stays in view (a card held steadily
 * gives one verdict, however long it is held), nor within `holdMs` of its verdict; it is judged
 * again when it comes back after it has been out of view.
 *
 * "Out of view" means the decoder has looked at least `goneMisses` times in a row without reading
 * it, over at least `goneMs`: a decoder that misses a frame or two of a code still in view, or a
 * busy tablet that decodes only a few frames a second, does not count as the code leaving.
 */
export interface RepeatFilterOptions {
  /** The same code is ignored this long after its verdict, ms. */
  holdMs: number;
  /** A code not read for this long … */
  goneMs: number;
  /** … and by this many attempts in a row has left the view. */
  goneMisses: number;
}

export const DEFAULT_REPEAT: RepeatFilterOptions = { holdMs: 4000, goneMs: 1200, goneMisses: 6 };

export class RepeatFilter {
  private last: { text: string; judgedAt: number; seenAt: number; misses: number } | null = null;

  constructor(private readonly opts: RepeatFilterOptions = DEFAULT_REPEAT) {}

  /** A frame read `text` at `now` (ms): whether it starts a new verdict. */
  isNew(text: string, now: number): boolean {
    const last = this.last;
    if (last && last.text === text) {
      const gone = last.misses >= this.opts.goneMisses && now - last.seenAt >= this.opts.goneMs;
      const cameBack = gone && now - last.judgedAt >= this.opts.holdMs;
      last.seenAt = now;
      last.misses = 0;
      if (!cameBack) return false;
    }
    this.last = { text, judgedAt: now, seenAt: now, misses: 0 };
    return true;
  }

  /** A decoding attempt that read nothing. */
  miss(): void {
    if (this.last) this.last.misses++;
  }

  /**
   * A frame read `text` while nothing may be judged (the guard is writing a reason): the last
   * code is still in view; another code is not taken note of, so it is judged once allowed.
   */
  stillInView(text: string, now: number): void {
    if (this.last?.text === text) {
      this.last.seenAt = now;
      this.last.misses = 0;
    }
  }

  /** Forget the last code (after re-enrollment, say): the next read is judged whatever it is. */
  reset(): void {
    this.last = null;
  }
}
