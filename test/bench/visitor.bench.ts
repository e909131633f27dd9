/**
 * The visitor register's effort figures: the inputs a guard needs for a new visitor and the taps
 * for a returning one after the phone number. They are counted by the end-to-end test
 * (test/e2e/visitors.spec.ts) as it registers each visitor in Chromium; this suite runs that test
 * and reports what it counted.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import type { Metrics } from './report';
import type { BenchSuite } from './run';

const FIGURES = 'test-results/visitor-figures.json';

export const visitorBench: BenchSuite = {
  name: 'visitor',
  async run(): Promise<Metrics> {
    rmSync(FIGURES, { force: true });
    const r = spawnSync('npx', ['playwright', 'test', 'visitors.spec.ts', '--reporter=line'], {
      stdio: 'inherit',
    });
    if (r.status !== 0) throw new Error('the visitor end-to-end test failed');
    const counted = JSON.parse(readFileSync(FIGURES, 'utf8')) as Record<string, number>;
    const figure = (name: string, target: number, note: string) => ({
      value: counted[name]!,
      unit: 'count',
      note,
      target: { value: target, direction: 'max' as const },
    });
    return {
      'visitor.new_registration_inputs': figure(
        'visitor.new_registration_inputs',
        8,
        'fields typed, choices and taps for a walk-in visitor, guard mode',
      ),
      'visitor.returning_registration_taps': figure(
        'visitor.returning_registration_taps',
        3,
        'taps after the phone number for a returning visitor',
      ),
    };
  },
};
