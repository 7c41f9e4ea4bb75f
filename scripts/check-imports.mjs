// Folder-level import graph of src/: each top-level folder (cases, auth, ...) is a node, an import
// from one folder into another an edge. Prints the circles (strongly connected components of more
// than one folder) and fails when a circle appears that is not in KNOWN_CIRCLES: the allowance only
// shrinks. `node scripts/check-imports.mjs`, run by `npm test`.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(import.meta.dirname, '../src');

/** Circles that exist today: none. A new circle between folders of src/ fails the check. Issue 11 broke
 * the two there were: the case circle (cases ⇄ sessions ⇄ agreements ⇄ confirmations ⇄ consultations ⇄
 * labels ⇄ reminders), by moving what every case part shares into src/case-core/ and the code unions into
 * src/common/case-codes.ts; the accounts circle (audit ⇄ auth ⇄ logging ⇄ users ⇄ workstations), by moving
 * the signed-in user, roles, decorators, scope, passwords and the cached account state into src/accounts-core/. */
const KNOWN_CIRCLES = [];

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (p.endsWith('.ts') && !p.endsWith('.spec.ts')) yield p;
  }
}

const folderOf = (file) => relative(SRC, file).split('/')[0].replace(/\.ts$/, '');
const edges = new Map();
for (const file of files(SRC)) {
  const from = folderOf(file);
  if (!edges.has(from)) edges.set(from, new Set());
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
    const target = resolve(dirname(file), m[1]);
    if (!target.startsWith(SRC + '/')) continue;
    const to = folderOf(target);
    if (to !== from) edges.get(from).add(to);
  }
}

// Tarjan's strongly connected components.
let index = 0;
const idx = new Map(), low = new Map(), stack = [], onStack = new Set(), circles = [];
function visit(v) {
  idx.set(v, index); low.set(v, index); index++; stack.push(v); onStack.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
    else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const comp = [];
    let w;
    do { w = stack.pop(); onStack.delete(w); comp.push(w); } while (w !== v);
    if (comp.length > 1) circles.push(comp.sort().join(' ⇄ '));
  }
}
for (const v of edges.keys()) if (!idx.has(v)) visit(v);

/** The folders as layers, lowest first (DESIGN.md "Shape of the code"): an import from a folder into
 * one of a higher layer runs back up. Counted and printed (the circles above are what fails). */
const LAYERS = [
  ['common', 'config', 'redis', 'process-memory'],
  ['accounts-core'],
  ['auth', 'users', 'workstations', 'audit', 'logging', 'idempotency', 'service-accounts'],
  ['queue', 'metrics', 'health', 'dashboard', 'labels', 'holidays', 'webhooks', 'notifications', 'heavy-reads'],
  ['case-core'],
  ['reminders'],
  ['cases'],
  ['sessions', 'agreements', 'confirmations', 'consultations', 'attachments'],
  ['stats', 'documents', 'retention'],
  ['database', 'seed', 'app.module', 'bootstrap', 'main', 'worker', 'security-headers'],
];
const layerOf = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i])));
const upward = [];
for (const [from, targets] of edges) {
  for (const to of targets) {
    if (!layerOf.has(from) || !layerOf.has(to)) upward.push(`${from} -> ${to} (folder not in LAYERS)`);
    else if (layerOf.get(to) > layerOf.get(from)) upward.push(`${from} -> ${to}`);
  }
}

const edgeCount = [...edges.values()].reduce((n, s) => n + s.size, 0);
console.log(`import graph: ${edges.size} folders, ${edgeCount} folder-to-folder edges, ${circles.length} circle(s)`);
for (const c of circles) console.log(`  circle: ${c}`);
console.log(`imports running back up the layers: ${upward.length}`);
for (const u of upward) console.log(`  up: ${u}`);
const unknown = circles.filter((c) => !KNOWN_CIRCLES.includes(c));
const gone = KNOWN_CIRCLES.filter((c) => !circles.includes(c));
if (gone.length) console.log(`broken since (remove from KNOWN_CIRCLES): ${gone.join('; ')}`);
if (unknown.length) {
  console.log(`new import circle(s) between folders of src/: ${unknown.join('; ')}`);
  process.exit(1);
}
// The layering is a rule too: an import from a lower layer up into a higher one (or from a folder not
// placed in LAYERS) fails, so that a new folder is placed deliberately.
if (upward.length) {
  console.log('imports running back up the layers (move the shared part down, or place the folder in LAYERS)');
  process.exit(1);
}
