import json, re, sys, statistics as st
D = sys.argv[1]
log = [l.rstrip('\n') for l in open(f'{D}/log')]
part = json.load(open(f'{D}/partial.json'))
hook = [json.loads(l) for l in open(f'{D}/hook.jsonl')]
thr = [json.loads(l) for l in open(f'{D}/threads.jsonl')] if __import__('os').path.exists(f'{D}/threads.jsonl') else []
can = [json.loads(l) for l in open(f'{D}/canary.jsonl')]
dur = 10_000
windows = []  # (label, side, kind, r, t0, t1)
for l in log:
    m = re.match(r'(\d{13})\s+(\w+) (run|at \d+/s run) (\d+):', l)
    if not m: continue
    t = int(m.group(1)); sc = m.group(2); kind = 'sat' if m.group(3) == 'run' else 'paced'; r = int(m.group(4))
    windows.append((sc, 'app', kind, r, t - dur, t)); windows.append((sc, 'floor', kind, r, t - 2 * dur - 50, t - dur - 50))
secs = [h for h in hook if h['kind'] == 'sec']
gcs = [h for h in hook if h['kind'] == 'gc']
def inwin(xs, t0, t1): return [x for x in xs if t0 + 500 < x['t'] <= t1 + 500]
res = {s['name']: s for s in part['scenarios']}
print(f"{'win':22} {'cpu/req':>7} {'cores':>5} {'p50':>6} | hook: {'cpuMs/s':>7} {'elu':>5} {'minor n/ms':>11} {'major n/ms':>10} {'incr':>6} miss/guess | {'MAIN':>5} {'othr':>5} | canary cpuUs busy steal")
for sc, side, kind, r, t0, t1 in windows:
    rr = res[sc][side]['saturated' if kind == 'sat' else 'fixed'][r - 1]
    c = inwin(can, t0, t1)
    cu = st.median([u for x in c for u in x['cpuUs']]) if c else 0
    busy = st.mean([x['busy'] for x in c]) if c else 0
    steal = st.mean([x['steal'] for x in c]) if c else 0
    line = f"{sc+' '+side+' '+kind+' '+str(r):22} {rr['serverCpu']['usPerRequest']:>7} {rr['serverCpu']['coreShare']:>5} {rr['p50']:>6} |"
    if side == 'app':
        h = inwin(secs, t0, t1)
        g = lambda k: (sum(x['gc'].get(k, {}).get('n', 0) for x in h), round(sum(x['gc'].get(k, {}).get('ms', 0) for x in h)))
        miss = sum(x['stats']['statsBound'] for x in h); guess = sum(x['stats']['guessBatch'] for x in h)
        th = inwin(thr, t0, t1)
        main = sum(x['ms'].get('MAIN', 0) for x in th); other = sum(v for x in th for k, v in x['ms'].items() if k != 'MAIN')
        n = max(1, len(h))
        reqs = rr['total']; extra = f" ctx/req v{sum(x.get('vcs',0) for x in h)/max(1,reqs):.2f} i{sum(x.get('ics',0) for x in h)/max(1,reqs):.2f} new{min([x.get('newMb',0) for x in h] or [0])}-{max([x.get('newMb',0) for x in h] or [0])}"
        line += f" {sum(x['cpuMs'] for x in h)/n:>7.1f} {st.mean([x['elu'] for x in h]) if h else 0:>5.2f} {str(g('minor')):>11} {str(g('major')):>10} {str(g('incr')):>6} {miss}/{guess} | {main/max(1,len(th)):>5.0f} {other/max(1,len(th)):>5.0f} |"
    else:
        line += ' ' * 77 + '|'
    line += f" {cu:>6.0f} {busy:.2f} {steal:.3f}" + (extra if side == 'app' else '')
    print(line)
