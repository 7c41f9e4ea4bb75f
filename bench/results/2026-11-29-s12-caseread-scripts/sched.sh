#!/bin/bash
# usage: caseread-sched.sh pid... ; prints per-second deltas of each thread's schedstat (run ms, wait ms, slices) and comm
declare -A prev
while true; do
  for pid in "$@"; do
    [ -d /proc/$pid ] || continue
    line=""
    for t in /proc/$pid/task/*; do
      tid=${t##*/}
      read run wait sl < $t/schedstat 2>/dev/null || continue
      comm=$(cat $t/comm 2>/dev/null)
      key=$pid.$tid
      if [ -n "${prev[$key]}" ]; then
        read prun pwait psl <<< "${prev[$key]}"
        dr=$(( (run-prun)/1000000 )); dw=$(( (wait-pwait)/1000000 )); ds=$((sl-psl))
        [ $dr -gt 1 ] && line="$line [$comm r${dr} w${dw} s${ds}]"
      fi
      prev[$key]="$run $wait $sl"
    done
    echo "$(date +%T) $pid:$line"
  done
  sleep 1
done
