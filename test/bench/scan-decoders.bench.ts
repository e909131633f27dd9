/**
 * Decoder benchmark (scan and verdict, part 2): each QR decoder's read rate and median decode
 * time on the generated corpus (test/fixtures/qr-corpus), measured in Chromium, the kiosk's
 * runtime. The rate is the share of frames readable by design that a decoder reads; the time is
 * per 640×480 RGBA frame on a page's main thread, each frame decoded RUNS times, and a run's
 * figure is the median over the corpus of that repetition.
 *
 * The default (src/workers/qr/default-decoder.ts) must be what the project's rule picks: the
 * fastest decoder whose rate equals the best rate. The report says which decoder the rule picks
 * here, and whether the page read exactly what Node recorded (recorded-rates.json).
 */
import { readFileSync } from 'node:fs';
import type { QrDecoderName } from '../../src/workers/qr/decoder';
import type { CorpusCodes } from '../fixtures/qr-corpus/corpus';
import type { DecoderTally } from '../fixtures/qr-corpus/tally';
import type { ScanBenchResult } from './browser/scan-decoders-entry';
import { runInChromium } from './browser-page';
import { median, type Metrics } from './report';
import type { BenchSuite } from './run';

const RUNS = 5;

interface Recorded {
  seed: number;
  fingerprint: string;
  codes: CorpusCodes;
  decoders: Partial<Record<QrDecoderName, Pick<DecoderTally, 'byCondition'>>>;
}

async function measureInChromium(recorded: Recorded) {
  return runInChromium<{ codes: CorpusCodes; seed: number; repeats: number }, ScanBenchResult>(
    'test/bench/browser/scan-decoders-entry.ts',
    { codes: recorded.codes, seed: recorded.seed, repeats: RUNS },
  );
}

const rateOf = (t: DecoderTally) => t.readReadable / t.readable;
const p50Of = (t: DecoderTally) => median(t.ms.map((run) => median(run)));

/** The project's rule: of the decoders that read as many frames as the best one, the fastest. */
function pickByRule(tally: [QrDecoderName, DecoderTally][]): QrDecoderName {
  const best = Math.max(...tally.map(([, t]) => t.readReadable));
  const [name] = tally
    .filter(([, t]) => t.readReadable === best)
    .sort(([, a], [, b]) => p50Of(a) - p50Of(b))[0]!;
  return name;
}

function describeMisses(t: DecoderTally): string {
  const misses = Object.entries(t.byCondition)
    .filter(([, c]) => c.readReadable < c.readable)
    .map(([condition, c]) => `${condition} ${c.readReadable}/${c.readable}`);
  return misses.length > 0 ? `short on ${misses.join(', ')}` : 'reads every condition in full';
}

const misreadNote = (t: DecoderTally) =>
  t.misreads.length === 0 ? 'no misreads' : `MISREADS ${t.misreads.map((m) => m.id).join(', ')}`;

/** Whether the page read, condition by condition, what Node recorded on the same pixels. */
function compareWithNode(t: DecoderTally, inNode: Recorded['decoders'][QrDecoderName]): string {
  if (!inNode) return 'not run in Node';
  const differ = Object.entries(t.byCondition).filter(
    ([condition, c]) =>
      inNode.byCondition[condition as keyof typeof t.byCondition]?.read !== c.read,
  );
  return differ.length === 0
    ? 'reads per condition as recorded in Node'
    : `reads differ from Node's record on ${differ.map(([condition]) => condition).join(', ')}`;
}

export const scanDecodersBench: BenchSuite = {
  name: 'scan-decoders',
  async run() {
    const recorded = JSON.parse(
      readFileSync('test/fixtures/qr-corpus/recorded-rates.json', 'utf8'),
    ) as Recorded;
    const { tally, defaultDecoder, nativeAbsent } = await measureInChromium(recorded);
    const samePixels = tally.fingerprint === recorded.fingerprint;
    const entries = Object.entries(tally.decoders) as [QrDecoderName, DecoderTally][];
    const chosen = pickByRule(entries);
    if (chosen !== defaultDecoder) {
      console.log(`    the rule picks ${chosen}, default-decoder.ts says ${defaultDecoder}`);
    }
    const metrics: Metrics = {};
    for (const [name, t] of entries) {
      const nodeNote = samePixels
        ? compareWithNode(t, recorded.decoders[name])
        : `the page rendered other pixels than Node recorded (${tally.fingerprint})`;
      const isDefault = name === defaultDecoder;
      metrics[`scan.decode_rate.${name}`] = {
        value: Number(rateOf(t).toFixed(3)),
        unit: 'ratio',
        ...(isDefault ? { target: { value: 0.95, direction: 'min' as const } } : {}),
        note:
          `${t.readReadable}/${t.readable} frames readable by design, ${t.read}/${t.frames} overall; ` +
          `${describeMisses(t)}; ${misreadNote(t)}; ${nodeNote}` +
          (isDefault ? `; the default (the rule picks ${chosen})` : '') +
          (isDefault && nativeAbsent ? '; BarcodeDetector absent in this Chromium' : ''),
      };
      metrics[`scan.decode_ms_p50.${name}`] = {
        value: Number(p50Of(t).toFixed(2)),
        unit: 'ms',
        runs: t.ms.map((run) => Number(median(run).toFixed(2))),
        note: `median per 640×480 RGBA frame over the ${t.frames} corpus frames, page main thread, ${RUNS} runs`,
      };
    }
    return metrics;
  },
};
