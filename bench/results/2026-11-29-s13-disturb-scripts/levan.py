import json, re, sys, statistics as st
out = open(sys.argv[1]).read().splitlines(); pids = dict(re.findall(r'(\w+) pid (\d+)', out[0]))
hooks = {lab: [json.loads(l) for l in open(f'/tmp/disturb/hook-{pid}.jsonl')] for lab, pid in pids.items() if lab != 'floor'}
can = [json.loads(l) for l in open(sys.argv[2])] if len(sys.argv) > 2 else []
dur = int(sys.argv[3]) * 1000 if len(sys.argv) > 3 else 10000
print(f"{'round':>5} {'label':6} {'cpu/req':>7} {'p50':>7} | {'cpuMs/s':>7} {'minor n/ms':>11} {'major n/ms':>10} gc-ms/s {'heapMb':>6} | canary")
for l in out:
    m = re.match(r'(\d{13}) \w+ round (\d+): (.*)', l)
    if not m: continue
    T = int(m.group(1)); parts = m.group(3).split(' | '); n = len(parts)
    for k, p in enumerate(parts):
        lab, rps, cpu = re.match(r'(\w+) (\d+)/s (\d+) µs', p).groups(); p50 = re.search(r'p50 ([\d.]+)', p).group(1)
        a, b = T - (n - k) * dur, T - (n - k - 1) * dur
        c = [u for x in can if a + 500 < x['t'] <= b + 500 for u in x['cpuUs']]
        cs = f"{st.median(c):.0f}" if c else ''
        if lab in hooks:
            h = [x for x in hooks[lab] if x['kind'] == 'sec' and a + 1000 < x['t'] <= b + 200]
            g = lambda k: (sum(x['gc'].get(k, {}).get('n', 0) for x in h), round(sum(x['gc'].get(k, {}).get('ms', 0) for x in h)))
            gcms = sum(v['ms'] for x in h for v in x['gc'].values()) / max(1, len(h))
            print(f"{m.group(2):>5} {lab:6} {cpu:>7} {p50:>7} | {st.mean([x['cpuMs'] for x in h]) if h else 0:>7.1f} {str(g('minor')):>11} {str(g('major')):>10} {gcms:>7.1f} {st.mean([x['heapMb'] for x in h]) if h else 0:>6.1f} new {min([x.get('newMb',0) for x in h]) if h else 0}-{max([x.get('newMb',0) for x in h]) if h else 0} | {cs}")
        else:
            print(f"{m.group(2):>5} {lab:6} {cpu:>7} {p50:>7} | {'':>47} | {cs}")
