/**
 * Writes test/fixtures/qr-corpus/recorded-rates.json: the codes the decoder corpus renders and,
 * per decoder that runs in Node, how many of its frames each reads at the corpus seed, overall
 * and per condition. test/unit/workers/qr-decoders.test.ts holds the decoders to these counts.
 *
 *   npx tsx scripts/record-decoder-rates.ts             re-record the rates on the same codes
 *   npx tsx scripts/record-decoder-rates.ts --new-codes  issue new codes first (a new corpus)
 *
 * Run it after a deliberate change (a decoder upgrade, new options, a corpus change) and commit
 * the result with that change. The codes are issued once by a throwaway test community and kept:
 * ECDSA signatures are randomized, so fresh codes would render a different corpus every run.
 *
 * The measuring modules are loaded through Vite's SSR loader, as vitest loads them: @zxing/library
 * is CommonJS whose named exports Node's own ESM loader cannot see.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { createServer } from 'vite';
import { createTestCommunity } from '../test/fixtures/community-keys';
import type * as Corpus from '../test/fixtures/qr-corpus/corpus';
import type * as NodeDecoders from '../test/fixtures/qr-corpus/node-decoders';
import type * as Tally from '../test/fixtures/qr-corpus/tally';

const OUT = fileURLToPath(
  new URL('../test/fixtures/qr-corpus/recorded-rates.json', import.meta.url),
);
const CODES_PER_MEDIUM = 4;
/** 2025-06-15T16:53:20Z; only the codes' validity periods depend on it. */
const NOW = 1_750_006_400;
const DAY = 86_400;

async function issueCodes(): Promise<Corpus.CorpusCodes> {
  const community = await createTestCommunity(4711);
  const card: string[] = [];
  const screen: string[] = [];
  for (let i = 0; i < CODES_PER_MEDIUM; i++) {
    // Printed: access cards and release slips; on a phone: visitor invitations and slips.
    card.push(
      i % 2 === 0
        ? await community.issue({
            type: 'card',
            serial: 100 + i,
            notBefore: NOW,
            expires: NOW + 90 * DAY,
            window: { weekdays: 0b0011111, startQuarter: 24, endQuarter: 88 },
          })
        : await community.issue({
            type: 'slip',
            serial: 200 + i,
            notBefore: NOW,
            expires: NOW + 2 * DAY,
            trips: 1,
          }),
    );
    screen.push(
      i % 2 === 0
        ? await community.issue({
            type: 'invitation',
            serial: 300 + i,
            notBefore: NOW,
            expires: NOW + DAY,
            persons: 2,
          })
        : await community.issue({
            type: 'slip',
            serial: 400 + i,
            notBefore: NOW,
            expires: NOW + 2 * DAY,
            trips: 3,
          }),
    );
  }
  return { card, screen };
}

const previous = existsSync(OUT)
  ? (JSON.parse(readFileSync(OUT, 'utf8')) as { codes: Corpus.CorpusCodes })
  : null;
const codes =
  process.argv.includes('--new-codes') || !previous ? await issueCodes() : previous.codes;

const server = await createServer({
  configFile: false,
  logLevel: 'warn',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, ws: false },
});
try {
  const load = <T>(path: string) => server.ssrLoadModule(path) as Promise<T>;
  const { buildCorpus, CORPUS_SEED } = await load<typeof Corpus>(
    '/test/fixtures/qr-corpus/corpus.ts',
  );
  const { createNodeDecoders } = await load<typeof NodeDecoders>(
    '/test/fixtures/qr-corpus/node-decoders.ts',
  );
  const { tallyCorpus } = await load<typeof Tally>('/test/fixtures/qr-corpus/tally.ts');

  const frames = buildCorpus(codes, CORPUS_SEED);
  const tally = await tallyCorpus(frames, await createNodeDecoders());
  const decoders = Object.fromEntries(
    Object.entries(tally.decoders).map(([name, t]) => {
      if (t.misreads.length > 0) throw new Error(`${name} misread ${JSON.stringify(t.misreads)}`);
      return [name, { read: t.read, readReadable: t.readReadable, byCondition: t.byCondition }];
    }),
  );
  const fixture = {
    format: 'gatepost-qr-decoder-rates/1',
    about:
      'Frames of the decoder corpus (test/fixtures/qr-corpus) each decoder reads in Node at the ' +
      'seed, overall and per condition; written by scripts/record-decoder-rates.ts. The codes ' +
      'are real GP1 codes of a throwaway test community, public material only.',
    seed: CORPUS_SEED,
    frames: frames.length,
    readableByDesign: frames.filter((f) => f.readableByDesign).length,
    fingerprint: tally.fingerprint,
    codes,
    decoders,
  };
  const config = (await prettier.resolveConfig(OUT)) ?? {};
  writeFileSync(OUT, await prettier.format(JSON.stringify(fixture), { ...config, filepath: OUT }));
  for (const [name, t] of Object.entries(tally.decoders)) {
    console.log(
      `${name}: ${t.readReadable}/${t.readable} readable-by-design frames, ${t.read}/${t.frames} in all`,
    );
  }
  console.log(`wrote ${OUT}`);
} finally {
  await server.close();
}
