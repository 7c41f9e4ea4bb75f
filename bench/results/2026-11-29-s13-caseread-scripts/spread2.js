function mk(n){ const body = Array.from({length:n},(_, i)=>`p${i}: c.v${i%3}`).join(','); return new Function('c', `return {${body}}`); }
for (const n of [20, 30, 31, 32, 34, 40]) {
  const view = mk(n);
  const get = (c) => ({ ...view(c), a1: 1, a2: [], a3: null });
  const rs = []; for (let i = 0; i < 5000; i++) { const r = get({v0: 'x'+i, v1: i, v2: null}); if (i > 4995) rs.push(r); }
  const asg = (c) => Object.assign(view(c), { a1: 1, a2: [], a3: null });
  const as = []; for (let i = 0; i < 5000; i++) { const r = asg({v0: 'x'+i, v1: i, v2: null}); if (i > 4995) as.push(r); }
  console.log(n, 'spread same map', rs.map(r=>%HaveSameMap(r, rs[0])).join(','), 'assign same map', as.map(r=>%HaveSameMap(r, as[0])).join(','));
}
