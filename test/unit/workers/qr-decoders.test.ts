/**
 * The decoder corpus test: every Node-capable decoder on the generated corpus, held to the read
 * counts recorded at the corpus seed (scripts/record-decoder-rates.ts), per condition, so a
 * decoder upgrade or an options change that reads less fails here; and no decoder may ever
 * return a text other than the code in the frame.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DECODER } from '../../../src/workers/qr/default-decoder';
import { decodeBase45 } from '../../../src/domain/base45';
import { decodeBody } from '../../../src/domain/credential/body';
import { CODE_PREFIX } from '../../../src/domain/credential/code';
import { SIGNATURE_LENGTH } from '../../../src/domain/credential/es256';
import { CONDITIONS } from '../../fixtures/qr-corpus/conditions';
import { buildCorpus } from '../../fixtures/qr-corpus/corpus';
import { createNodeDecoders } from '../../fixtures/qr-corpus/node-decoders';
import recorded from '../../fixtures/qr-corpus/recorded-rates.json';
import { tallyCorpus, type CorpusTally } from '../../fixtures/qr-corpus/tally';

const frames = buildCorpus(recorded.codes, recorded.seed);
const recordedDecoders = Object.keys(recorded.decoders) as (keyof typeof recorded.decoders)[];
let tally: CorpusTally;

beforeAll(async () => {
  tally = await tallyCorpus(frames, await createNodeDecoders());
}, 300_000);

describe('the decoder corpus', () => {
  it('is the corpus the rates were recorded on, pixel for pixel', () => {
    expect(frames.length).toBe(recorded.frames);
    expect(frames.filter((f) => f.readableByDesign).length).toBe(recorded.readableByDesign);
    expect(tally.fingerprint).toBe(recorded.fingerprint);
  });

  it('renders real GP1 codes', () => {
    for (const code of [...recorded.codes.card, ...recorded.codes.screen]) {
      expect(code.startsWith(CODE_PREFIX)).toBe(true);
      const raw = decodeBase45(code.slice(CODE_PREFIX.length));
      expect(() => decodeBody(raw.subarray(0, raw.length - SIGNATURE_LENGTH))).not.toThrow();
    }
  });

  it('has a recorded rate for every decoder that runs in Node', () => {
    expect(Object.keys(tally.decoders).sort()).toEqual([...recordedDecoders].sort());
  });

  describe.for(recordedDecoders)('%s', (name) => {
    it.for(CONDITIONS)('reads at least the recorded count on %s frames', (condition) => {
      const now = tally.decoders[name]!.byCondition[condition];
      const then = recorded.decoders[name].byCondition[condition];
      expect({ frames: now.frames, readable: now.readable }).toEqual({
        frames: then.frames,
        readable: then.readable,
      });
      expect(now.read).toBeGreaterThanOrEqual(then.read);
      expect(now.readReadable).toBeGreaterThanOrEqual(then.readReadable);
    });

    it('never misreads: every text it returns is the code in that frame', () => {
      expect(tally.decoders[name]!.misreads).toEqual([]);
    });
  });

  it(`the default decoder (${DEFAULT_DECODER}) reads at least 95% of the frames readable by design`, () => {
    const t = tally.decoders[DEFAULT_DECODER]!;
    expect(t.readReadable / t.readable).toBeGreaterThanOrEqual(0.95);
  });

  it('the default decoder reads at least as many readable frames as any other', () => {
    const best = Math.max(...Object.values(tally.decoders).map((t) => t.readReadable));
    expect(tally.decoders[DEFAULT_DECODER]!.readReadable).toBe(best);
  });
});
