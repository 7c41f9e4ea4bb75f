import re,sys
def alloc(lines):
    prev=None; total=0
    for line in lines:
        m=re.search(r'(Scavenge|Mark-Compact)[^0-9]*([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB',line)
        if not m: continue
        a=float(m.group(2)); c=float(m.group(4))
        if prev is not None: total+=max(0,a-prev)
        prev=c
    return total
lines=open(sys.argv[1]).read().splitlines()[int(sys.argv[2]):]
print(f"{alloc(lines):.0f}")
