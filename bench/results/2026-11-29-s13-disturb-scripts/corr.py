import json, re, sys, statistics as st
rows = []
for D in sys.argv[1:]:
    log = open(f'{D}/log').read().splitlines(); part = json.load(open(f'{D}/partial.json')); res = {s['name']: s for s in part['scenarios']}
    can = [json.loads(l) for l in open(f'{D}/canary.jsonl')]
    for l in log:
        m = re.match(r'(\d{13})\s+(\w+) (run|at \d+/s run) (\d+):', l)
        if not m: continue
        t = int(m.group(1)); sc = m.group(2); kind = 'saturated' if m.group(3) == 'run' else 'fixed'; r = int(m.group(4))
        for side, a, b in (('app', t - 10000, t), ('floor', t - 20050, t - 10050)):
            c = [u for x in can if a + 500 < x['t'] <= b + 500 for u in x['cpuUs']]
            rows.append((D[-2:], sc, kind, side, r, res[sc][side][kind][r - 1]['serverCpu']['usPerRequest'], st.median(c)))
# normalise: cpu/req by the median of (run, scenario, kind, side); canary by the run's median
import collections
g = collections.defaultdict(list); gc = collections.defaultdict(list)
for x in rows: g[x[:4]].append(x[5]); gc[x[0]].append(x[6])
pts = [(x[5] / st.median(g[x[:4]]), x[6] / st.median(gc[x[0]]), x) for x in rows]
xs = [p[1] for p in pts]; ys = [p[0] for p in pts]
mx, my = st.mean(xs), st.mean(ys)
r = sum((a - mx) * (b - my) for a, b in zip(xs, ys)) / (sum((a - mx) ** 2 for a in xs) * sum((b - my) ** 2 for b in ys)) ** 0.5
print(f'n={len(pts)} pearson r(canary rel, cpu/req rel) = {r:.2f}')
for side in ('app', 'floor'):
    for kind in ('saturated', 'fixed'):
        sel = [p for p in pts if p[2][3] == side and p[2][2] == kind]
        hi = [p[0] for p in sel if p[1] > 1.2]; lo = [p[0] for p in sel if p[1] <= 1.05]
        print(side, kind, 'canary>1.2x:', len(hi), round(st.mean(hi), 3) if hi else '-', ' canary<=1.05x:', len(lo), round(st.mean(lo), 3) if lo else '-')
