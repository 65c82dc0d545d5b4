/**
 * `tsx bench/profile-summary.ts <file.cpuprofile> [top]`: self time by function (and by file),
 * from a V8 CPU profile written with BENCH_CPU_PROF=<dir> (bench/lib.ts startServer).
 */
import fs from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => {
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
const short = (url: string) => url.replace(/^.*\/node_modules\//, '~/').replace(/^.*\/work\/main\//, '');
const byFn = new Map<string, number>();
const byFile = new Map<string, number>();
for (const [id, us] of self) {
  const n = byId.get(id);
  if (!n) continue;
  const { functionName, url, lineNumber } = n.callFrame;
  const fn = `${functionName || '(anonymous)'} ${short(url)}:${lineNumber + 1}`;
  byFn.set(fn, (byFn.get(fn) ?? 0) + us);
  const key = url ? short(url).replace(/^(~\/(@[^/]+\/)?[^/]+).*$/, '$1') : functionName;
  byFile.set(key, (byFile.get(key) ?? 0) + us);
}
const print = (title: string, m: Map<string, number>) => {
  console.log(`\n## ${title} (total ${(total / 1e6).toFixed(1)} s sampled)`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`);
  }
};
print('self time by package / file', byFile);
print('self time by function', byFn);
