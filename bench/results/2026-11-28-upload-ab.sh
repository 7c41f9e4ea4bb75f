#!/bin/bash
# usage: upload-ab.sh ROUNDS name=dir ...
ROUNDS=$1; shift
DB=postgres://postgres@127.0.0.1:5432/mediation_bench
for r in $(seq 1 $ROUNDS); do
  for spec in "$@"; do
    name=${spec%%=*}; dir=${spec#*=}
    flags=$(node -e "const s=require('$dir/package.json').scripts['start:prod'].split(/\s+/);console.log(s.filter(w=>w.startsWith('--')).join(' '))")
    (cd $dir && MALLOC_ARENA_MAX=2 NODE_ENV=production DATABASE_URL=$DB REDIS_URL=redis://127.0.0.1:6379 QUEUE_PREFIX=upab$r$name JWT_SECRET=probe-secret-0123456789abcdef LOG_LEVEL=warn WORKERS=all LOGIN_RATE_LIMIT=100000 PORT=4651 exec node $flags dist/src/main.js > /tmp/upab-$name.log 2>&1) &
    pid=$!
    for i in $(seq 1 60); do curl -sf localhost:4651/health/ready >/dev/null && break; sleep 0.5; done
    sleep 3
    tok=$(curl -s -XPOST localhost:4651/api/v1/auth/login -H 'content-type: application/json' -d '{"username":"bench_admin","password":"bench-password-1"}' | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).accessToken))")
    before=$(grep VmRSS /proc/$pid/status | awk '{print $2/1024}')
    out=$(node /work/main/dist/bench/lib/documents.js --url http://localhost:4651 --pid $pid --token $tok --database-url $DB --parts upload 2>&1 | grep "20 MB attachment:")
    sleep 1.5
    after=$(grep -E "VmRSS|VmHWM" /proc/$pid/status | awk '{printf "%s %.1f ", $1, $2/1024}')
    ext=$(curl -s localhost:4651/metrics | grep -E "^nodejs_external_memory_bytes" | awk '{printf "%.1f", $2/1048576}')
    echo "round $r $name: start RSS $before | $out | $after | external $ext"
    kill $pid; wait $pid 2>/dev/null
  done
done
