#!/bin/bash
# Times COPY statements through psql to /dev/null, alternating: timecopy.sh ROUNDS name1 name2 ...
# (files /tmp/csvp/<name>.sql). Prints one line per run: round name seconds, then medians; load before/after.
# PGOPTS (e.g. "-c jit=off") go to the backend through PGOPTIONS.
DB=${DB:-postgres://postgres@127.0.0.1:5432/mediation_bench}
DIR=${DIR:-/tmp/csvp}
rounds=$1; shift
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A all
for r in $(seq 1 $rounds); do
  names=("$@"); if (( r % 2 == 0 )); then names=($(printf '%s\n' "$@" | tac)); fi
  for n in "${names[@]}"; do
    t0=$(date +%s.%N)
    PGOPTIONS="$PGOPTS" psql -X -q "$DB" -f "$DIR/$n.sql" > /dev/null || exit 1
    t=$(echo "$(date +%s.%N) - $t0" | bc)
    printf '%d %-14s %.2f\n' $r $n $t
    all[$n]="${all[$n]} $t"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in "$@"; do
  printf 'median %-14s %s   (%s)\n' $n $(echo ${all[$n]} | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') "${all[$n]}"
done
