// Reads a Chromium trace (e.g. `GATEPOST_BENCH_TRACE=trace.json npm run bench -- kiosk`) and prints
// every task of a renderer's main thread longer than the threshold (ms, default 50), with what
// filled it: the trace events inside it by self time, and the JS functions the sampling profiler
// caught in it (self time, with the app frame that called them), named from the build's source
// maps in dist/assets when they are there.
//
//   node scripts/long-tasks.mjs trace.json [threshold-ms]
import { existsSync, readFileSync } from 'node:fs';

const [file, thresholdArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/long-tasks.mjs trace.json [threshold-ms]');
  process.exit(2);
}
const thresholdUs = Number(thresholdArg ?? 50) * 1000;
const raw = JSON.parse(readFileSync(file, 'utf8'));
const events = Array.isArray(raw) ? raw : raw.traceEvents;

const threadName = new Map();
for (const e of events) {
  if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args.name);
}
const mains = [...threadName].filter(([, n]) => n === 'CrRendererMain').map(([k]) => k);

// The sampling profiler's chunks, per profile (its `Profile` event names the thread; the chunks
// come from the sampler's own thread): nodes by id, and samples with their time.
const profiles = new Map();
for (const e of events) {
  if (e.name !== 'Profile' && e.name !== 'ProfileChunk') continue;
  const id = `${e.pid}:${e.id}`;
  let p = profiles.get(id);
  if (!p) profiles.set(id, (p = { key: null, nodes: new Map(), samples: [], t: 0 }));
  const data = e.args.data;
  if (e.name === 'Profile') {
    p.key = `${e.pid}:${e.tid}`;
    p.t = data.startTime;
  }
  for (const n of data.cpuProfile?.nodes ?? []) p.nodes.set(n.id, n);
  const ids = data.cpuProfile?.samples ?? [];
  const deltas = data.timeDeltas ?? [];
  for (let i = 0; i < ids.length; i++) {
    p.t += deltas[i] ?? 0;
    p.samples.push({ t: p.t, id: ids[i] });
  }
}

// Source maps (v3): per generated line, segments [column, source, line, column] in base64 VLQ.
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function decodeMappings(mappings) {
  const lines = [];
  const state = [0, 0, 0, 0];
  for (const line of mappings.split(';')) {
    const segments = [];
    state[0] = 0;
    for (const seg of line.split(',')) {
      if (!seg) continue;
      const fields = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = shift = 0;
        }
      }
      for (let i = 0; i < Math.min(4, fields.length); i++) state[i] += fields[i];
      if (fields.length >= 4) segments.push([...state]);
    }
    lines.push(segments);
  }
  return lines;
}
const maps = new Map();
function original(url, line, column) {
  const file = `dist/assets/${url.split('/').pop()}.map`;
  if (!maps.has(file)) {
    const map = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
    maps.set(file, map && { sources: map.sources, lines: decodeMappings(map.mappings) });
  }
  const map = maps.get(file);
  const segment = map?.lines[line]?.findLast((s) => s[0] <= column);
  if (!segment) return null;
  return `${map.sources[segment[1]].replace(/^(\.\.\/)+/, '')}:${segment[2] + 1}`;
}

const frameText = (n) => {
  const f = n.callFrame;
  if (!f.url) return f.functionName || '(anonymous)';
  const where =
    original(f.url, f.lineNumber, f.columnNumber) ??
    `${f.url.split('/').pop()}:${f.lineNumber + 1}`;
  return `${f.functionName || '(anonymous)'} ${where}`;
};
const isApp = (n) => /\/assets\//.test(n.callFrame.url ?? '');

function samplesIn(key, from, to) {
  const self = new Map();
  let total = 0;
  for (const p of profiles.values()) {
    if (p.key !== key) continue;
    const parent = new Map();
    for (const n of p.nodes.values()) if (n.parent !== undefined) parent.set(n.id, n.parent);
    for (let i = 0; i < p.samples.length; i++) {
      const s = p.samples[i];
      if (s.t < from || s.t > to) continue;
      const next = p.samples[i + 1]?.t ?? s.t;
      const dt = Math.max(0, Math.min(next, to) - s.t);
      const leaf = p.nodes.get(s.id);
      if (!leaf || leaf.callFrame.functionName === '(idle)') continue;
      let caller = leaf;
      while (caller && !isApp(caller)) caller = p.nodes.get(parent.get(caller.id));
      const name = `${frameText(leaf)}${caller && caller !== leaf ? `  ← ${frameText(caller)}` : ''}`;
      self.set(name, (self.get(name) ?? 0) + dt);
      total += dt;
    }
  }
  return { self, total };
}

const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k);
const ms = (us) => (us / 1000).toFixed(1);

for (const key of mains) {
  const onThread = events.filter(
    (e) => `${e.pid}:${e.tid}` === key && e.ph === 'X' && typeof e.dur === 'number',
  );
  const tasks = onThread.filter((e) => e.name === 'RunTask' && e.dur >= thresholdUs);
  if (tasks.length === 0) continue;
  console.log(`${key} (${threadName.get(key)}): ${tasks.length} task(s) ≥ ${ms(thresholdUs)} ms`);
  for (const task of tasks.sort((a, b) => b.dur - a.dur)) {
    const end = task.ts + task.dur;
    const inner = onThread
      .filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= end)
      .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    // Self time of each event: its duration less its direct children's.
    const self = new Map();
    const stack = [];
    for (const e of inner) {
      while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= e.ts) stack.pop();
      const parent = stack.at(-1);
      if (parent) self.set(parent, (self.get(parent) ?? parent.dur) - e.dur);
      self.set(e, self.get(e) ?? e.dur);
      stack.push(e);
    }
    const byName = new Map();
    for (const [e, t] of self) {
      const detail = e.args?.data?.functionName || e.args?.data?.type || '';
      const name = detail ? `${e.name} (${detail})` : e.name;
      byName.set(name, (byName.get(name) ?? 0) + t);
    }
    console.log(`\n  task at ${ms(task.ts)} ms: ${ms(task.dur)} ms`);
    for (const [name, t] of top(byName, 8)) console.log(`    ${ms(t).padStart(7)} ms  ${name}`);
    const js = samplesIn(key, task.ts, end);
    if (js.total > 0) {
      console.log(`    JS samples (${ms(js.total)} ms):`);
      for (const [name, t] of top(js.self, 10)) console.log(`    ${ms(t).padStart(7)} ms  ${name}`);
    }
  }
}
