#!/bin/bash
# usage: memcheck.sh label semi
label=$1; semi=$2; port=41960
cd /work/main
NODE_ENV=production DATABASE_URL=postgres://postgres@127.0.0.1:5432/mediation_bench REDIS_URL=redis://127.0.0.1:6379 QUEUE_PREFIX=memcheck-$label JWT_SECRET=probe-secret-0123456789-abcdefghijklmnop LOG_LEVEL=warn WORKERS=all LOGIN_RATE_LIMIT=100000 PORT=$port MALLOC_ARENA_MAX=2 node --expose-gc $FLAGS --no-allocation-site-pretenuring dist/bundle/main.js > /tmp/memcheck-$label.log 2>&1 &
pid=$!
sleep 8
hwm() { grep -E "VmHWM|VmRSS" /proc/$pid/status | tr -s ' ' | tr '\n' ' '; }
echo "$label after start: $(hwm)"
TOKEN=$(curl -s -X POST localhost:$port/api/v1/auth/login -H 'content-type: application/json' -d '{"username":"bench_admin","password":"bench-password-1"}' | python3 -c "import sys,json; print(json.load(sys.stdin)['accessToken'])")
echo $TOKEN > /tmp/token
P="interval=month&from=2021-11-30&to=2026-11-29"
node /tmp/drive.js "http://127.0.0.1:$port/api/v1/stats/timeseries?$P" 10 >/dev/null
node /tmp/drive.js "http://127.0.0.1:$port/api/v1/stats/summary?from=2021-11-30&to=2026-11-29" 10 >/dev/null
node /tmp/drive.js "http://127.0.0.1:$port/api/v1/cases" 10 >/dev/null
echo "$label after load: $(hwm)"
node dist/bench/lib/documents.js --url http://127.0.0.1:$port --pid $pid --token $TOKEN --database-url postgres://postgres@127.0.0.1:5432/mediation_bench > /tmp/memcheck-$label-docs.log 2>&1
echo "$label after documents: $(hwm)"
kill $pid; wait $pid 2>/dev/null
redis-cli --scan --pattern "memcheck-$label*" | xargs -r redis-cli del > /dev/null
