#!/bin/bash
# usage: runbench.sh TAG [run.js args...]  (env BENCH_APP_NODE_FLAGS etc. passed through)
TAG=$1; shift
D=/tmp/disturb/$TAG; mkdir -p $D
cd /work/wt-disturb
export DISTURB_HOOK_OUT=$D/hook.jsonl DISTURB_ROOT=/work/wt-disturb
export BENCH_PORTS=41200-41399
echo "load $(cat /proc/loadavg) at $(date -u +%T)" > $D/log
node dist/bench/run.js "$@" 2>&1 | while IFS= read -r l; do echo "$(date +%s%3N) $l"; done >> $D/log &
RUNPID=$!
# find the app: node .../wt-disturb/dist/bundle/main.js whose env has DISTURB_HOOK_OUT=$D
for i in $(seq 1 120); do
  APP=$(pgrep -f "wt-disturb/dist/bundle/main.js" | while read p; do grep -qz "DISTURB_HOOK_OUT=$D/hook.jsonl" /proc/$p/environ 2>/dev/null && echo $p; done | head -1)
  [ -n "$APP" ] && break; sleep 0.5
done
echo "app pid $APP" >> $D/log
[ -n "$APP" ] && node /tmp/disturb/threads.js $APP $D/threads.jsonl &
node /tmp/disturb/canary.js $D/canary.jsonl &
CAN=$!
wait $RUNPID
kill $CAN
echo "end load $(cat /proc/loadavg) at $(date -u +%T)" >> $D/log
