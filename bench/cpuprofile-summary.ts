/**
 * Where a V8 CPU profile (node --cpu-prof) spent its time: the top functions by self time, and
 * self time by package (node_modules/<pkg>, our src/ by folder, node internals, GC, idle).
 *
 *   node dist/bench/cpuprofile-summary.js /tmp/prof/CPU.xxx.cpuprofile [--top 15] [--after-startup]
 *
 * --after-startup counts only the samples after the last one inside module loading (the app's
 * start), so that the figures are those of serving requests.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const STARTUP_FRAMES = new Set(['Module._load', 'executeUserEntryPoint', 'bootstrap']);

/** The package a script belongs to: `pg`, `@nestjs/core`, `src/cases`, `node:internal`, or a V8 pseudo-frame. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return `(${functionName || 'anonymous'})`;
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const src = /\/dist\/(src|bench)\/([^/]+)/.exec(url);
  if (src) return src[2].endsWith('.js') ? `${src[1]}/${src[2]}` : `${src[1]}/${src[2]}/`;
  if (url.startsWith('node:')) return 'node:internal';
  return url;
}

function main(): void {
  const file = process.argv[2];
  const topIdx = process.argv.indexOf('--top');
  const top = topIdx > 0 ? Number(process.argv[topIdx + 1]) : 15;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  let firstSample = 0;
  if (process.argv.includes('--after-startup')) {
    const inStartup = (id: number): boolean => {
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) if (STARTUP_FRAMES.has(byId.get(cur)!.callFrame.functionName)) return true;
      return false;
    };
    profile.samples.forEach((id, i) => {
      if (inStartup(id)) firstSample = i + 1;
    });
  }
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    if (i >= firstSample) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  let total = 0;
  let idle = 0;
  const fnSelf = new Map<string, number>();
  const fnTotal = new Map<string, number>();
  const pkgSelf = new Map<string, number>();
  const pkgTotal = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    total += us;
    if (name === '(idle)') {
      idle += us;
      continue;
    }
    const pkg = packageOf(node.callFrame.url, name);
    const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${packageOf(n.callFrame.url, n.callFrame.functionName)}:${n.callFrame.lineNumber + 1}`;
    add(fnSelf, key(node), us);
    add(pkgSelf, pkg, us);
    // Total (inclusive) time: once per distinct function and package on the sample's stack.
    const seenFn = new Set<string>();
    const seenPkg = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      if (n.callFrame.functionName === '(root)') break;
      const k = key(n);
      if (!seenFn.has(k)) add(fnTotal, k, us), seenFn.add(k);
      const p = packageOf(n.callFrame.url, n.callFrame.functionName);
      if (!seenPkg.has(p)) add(pkgTotal, p, us), seenPkg.add(p);
    }
  }
  const busy = total - idle;
  const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)}%`;
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, busy ${(busy / 1e6).toFixed(1)} s (percentages of busy time)`);
  const print = (title: string, m: Map<string, number>, other?: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}${other ? ` ${pct(other.get(k) ?? 0)}` : ''}  ${k}`);
  };
  print('by package: self  total', pkgSelf, pkgTotal);
  print('by function: self  total', fnSelf, fnTotal);
  print('by function, total (inclusive)', fnTotal);
}

main();
