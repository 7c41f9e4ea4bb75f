import json, re, sys, collections
D = sys.argv[1]; prof = sys.argv[2]; filt = sys.argv[3] if len(sys.argv) > 3 else 'summary'
p = json.load(open(prof))
hook = [json.loads(l) for l in open(f'{D}/hook.jsonl')]
st = next(h for h in hook if h['kind'] == 'start')
toWall = lambda us: st['t'] + (us - st['hrUs']) / 1000
nodes = {n['id']: n for n in p['nodes']}
parent = {}
for n in p['nodes']:
    for c in n.get('children', []): parent[c] = n['id']
def cat(nid):
    cf = nodes[nid]['callFrame']; fn = cf['functionName']; url = cf['url']
    if fn in ('(garbage collector)', '(program)', '(idle)', '(root)'): return fn
    if 'node_modules/' in url: return 'nm:' + re.sub(r'.*node_modules/((@[^/]+/)?[^/]+).*', r'\1', url)
    if url.startswith('node:'): return 'node:'
    if 'bundle/main.js' in url: return 'bundle'
    return url or '(native)'
log = [l for l in open(f'{D}/log')]
wins = []
for l in log:
    m = re.match(r'(\d{13})\s+(\w+) (run|at \d+/s run) (\d+):', l)
    if m and m.group(2) in filt.split(','):
        t = int(m.group(1)); wins.append((f"{m.group(2)} {'sat' if m.group(3)=='run' else 'paced'} {m.group(4)}", t - 10000, t))
t = p['startTime']; times = []
for d in p['timeDeltas']: t += d; times.append(toWall(t))
acc = {w[0]: collections.Counter() for w in wins}; fnacc = {w[0]: collections.Counter() for w in wins}
deltas = p['timeDeltas'][1:] + [0]
for s, tw, dt in zip(p['samples'], times, deltas):
    for name, a, b in wins:
        if a <= tw < b:
            acc[name][cat(s)] += dt / 1000
            cf = nodes[s]['callFrame']; fnacc[name][f"{cf['functionName'] or '(anon)'} {cf['url'].split('/')[-1]}:{cf['lineNumber']}"] += dt / 1000
cats = sorted({c for a in acc.values() for c in a}, key=lambda c: -sum(a[c] for a in acc.values()))[:12]
print(f"{'window':16}" + ''.join(f"{c[:14]:>15}" for c in cats))
for name, _, _ in wins:
    print(f"{name:16}" + ''.join(f"{acc[name][c]:>15.0f}" for c in cats))
if len(sys.argv) > 4:
    for name in sys.argv[4].split(','):
        print(name, fnacc[name].most_common(25))
