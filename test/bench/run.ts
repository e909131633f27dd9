/**
 * `npm run bench [-- name …]`: runs the benchmark suites one after another (never in parallel:
 * the machines are small and noisy) and writes bench-results/report.{json,md}.
 */
import { describeMachine, writeReport, type Metrics } from './report';
import { credentialBench } from './credential.bench';
import { kioskBench } from './kiosk.bench';
import { serverBench } from './server.bench';
import { scanDecodersBench } from './scan-decoders.bench';
import { visitorBench } from './visitor.bench';
import { scanBench } from './scan.bench';
import { slipsBench } from './slips.bench';

export interface BenchSuite {
  name: string;
  run(): Promise<Metrics>;
}

const suites: BenchSuite[] = [
  credentialBench,
  serverBench,
  scanDecodersBench,
  kioskBench,
  visitorBench,
  scanBench,
  slipsBench,
];

const wanted = process.argv.slice(2);
const machine = describeMachine();
const metrics: Metrics = {};
for (const suite of suites) {
  if (wanted.length > 0 && !wanted.includes(suite.name)) continue;
  console.log(`--- ${suite.name}`);
  const started = performance.now();
  Object.assign(metrics, await suite.run());
  console.log(`    ${((performance.now() - started) / 1000).toFixed(1)} s`);
  writeReport('bench-results', machine, metrics);
}
for (const [name, m] of Object.entries(metrics)) console.log(`${name}: ${m.value} ${m.unit}`);
console.log('report: bench-results/report.md');
