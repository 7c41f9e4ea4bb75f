#!/bin/bash
# usage: ab.sh label1:dir1 label2:dir2 rounds
rounds=$3
for r in $(seq 1 $rounds); do
  for spec in $1 $2; do
    label=${spec%%:*}; dir=${spec#*:}
    cd $dir
    BENCH_PORTS=41900-41999 node dist/bench/run.js --only burst > /tmp/burst/$label-$r.log 2>&1
    line=$(grep "others' lists" /tmp/burst/$label-$r.log)
    app=$(grep "the app quiet" /tmp/burst/$label-$r.log | sed 's/.*during the burst: //')
    echo "$r $label $(cut -d' ' -f1-3 /proc/loadavg) | $line | $app"
    rm -f bench/results/partial.*
  done
done
