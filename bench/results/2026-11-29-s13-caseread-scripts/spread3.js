function f(a){ return {where: 'x'+a, params: [a]}; }
const g = (a) => ({ ...f(a), fromCounters: true });
const rs=[]; for (let i=0;i<5000;i++){ const r=g(i); if(i>4995) rs.push(r); }
console.log('small spread same map', rs.map(r=>%HaveSameMap(r,rs[0])).join(','));
