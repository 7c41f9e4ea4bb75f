// summarise a sampling heap profile: self bytes by function (top), and by stack of depth N
const p = JSON.parse(require('fs').readFileSync(process.argv[2]));
const depth = Number(process.argv[3] || 6);
const self = new Map(), stacks = new Map(); let total = 0;
const walk = (n, path) => {
  const f = n.callFrame; const name = `${f.functionName || '(anon)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
  const p2 = [...path, name];
  if (n.selfSize) { total += n.selfSize; self.set(name, (self.get(name) || 0) + n.selfSize); const k = p2.slice(-depth).join(' < ').split(' < ').reverse().join(' < '); stacks.set(k, (stacks.get(k) || 0) + n.selfSize); }
  for (const c of n.children) walk(c, p2);
};
walk(p.head, []);
console.log('total MB', (total / 1e6).toFixed(2));
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log((v / 1e6).toFixed(2).padStart(7), k);
console.log('--- stacks');
for (const [k, v] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log((v / 1e6).toFixed(2).padStart(7), k);
