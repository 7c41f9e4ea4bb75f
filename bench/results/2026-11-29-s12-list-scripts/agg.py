import sys,glob,statistics as st
def load(pat):
    d={}
    for f in sorted(glob.glob(pat)):
        for l in open(f):
            if l.startswith('| ') and l[2].isdigit():
                c=[x.strip() for x in l.strip().strip('|').split('|')]
                d.setdefault(c[0],[]).append([float(x) for x in c[1:5]])
    return d
b=load(sys.argv[1]); a=load(sys.argv[2])
print('| mix | as sent before | as sent after | ratio | total before | total after | page before | page after | client wall before | after |')
print('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
for k in b:
    m=lambda d,i: st.median([r[i] for r in d[k]])
    print(f'| {k} | {m(b,0):.2f} | {m(a,0):.2f} | {m(a,0)/m(b,0):.2f} | {m(b,2):.2f} | {m(a,2):.2f} | {m(b,1):.2f} | {m(a,1):.2f} | {m(b,3):.2f} | {m(a,3):.2f} |')
sb=sum(st.median([r[0] for r in b[k]]) for k in b); sa=sum(st.median([r[0] for r in a[k]]) for k in a)
print(f'sum of the 7 mixes (as sent): before {sb:.2f} ms, after {sa:.2f} ms; mean per request {sb/7:.2f} -> {sa/7:.2f}')
