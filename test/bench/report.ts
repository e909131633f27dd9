/**
 * The benchmark report: bench-results/report.json ({ machine, metrics }) and report.md, written
 * after every suite so a long run that stops part-way still leaves what it measured.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromiumPath } from '../e2e/support/chromium';

export interface Metric {
  value: number;
  unit: string;
  /** What was measured and against what, in a few words. */
  note?: string;
  /** The individual runs the value is the median of, when it is one. */
  runs?: number[];
  /** The figure the project commits to, and whether it is a floor or a ceiling. */
  target?: { value: number; direction: 'min' | 'max' };
}

export type Metrics = Record<string, Metric>;

export function describeMachine(): Record<string, string | number> {
  let chromium = 'not found';
  try {
    const bin = chromiumPath();
    if (bin) chromium = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // Reported as not found.
  }
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    chromium,
    loadAverage1m: Number(os.loadavg()[0]!.toFixed(2)),
    date: new Date().toISOString(),
  };
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

function verdict(m: Metric): string {
  if (!m.target) return '';
  const ok = m.target.direction === 'min' ? m.value >= m.target.value : m.value <= m.target.value;
  return `${ok ? 'meets' : 'MISSES'} ${m.target.direction === 'min' ? '≥' : '≤'} ${m.target.value}`;
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 1));

export function writeReport(dir: string, machine: Record<string, unknown>, metrics: Metrics): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'report.json'),
    JSON.stringify({ machine, metrics }, null, 2) + '\n',
  );
  const lines = [
    '# Gatepost benchmark report',
    '',
    '## Machine',
    '',
    ...Object.entries(machine).map(([k, v]) => `- ${k}: ${String(v)}`),
    '',
    '## Metrics',
    '',
    '| metric | value | unit | target | runs | note |',
    '| --- | --- | --- | --- | --- | --- |',
    ...Object.entries(metrics).map(
      ([name, m]) =>
        `| ${name} | ${fmt(m.value)} | ${m.unit} | ${verdict(m)} | ${m.runs?.map(fmt).join(', ') ?? ''} | ${m.note ?? ''} |`,
    ),
    '',
  ];
  writeFileSync(path.join(dir, 'report.md'), lines.join('\n'));
}
