#!/bin/bash
cd /work/wt-list
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/list_db BENCH_PORTS=41600-41799
L="node dist/bench/levers.js --app base=/work/wt-list-base --app new=/work/wt-list --only list --rate 100 --duration 5 --runs 5 --pool 8"
for i in 5; do
  NODE_ENV=development node dist/src/database/migrate-cli.js revert; uptime; $L > /tmp/list-work/levers-before-$i.txt 2>&1
  NODE_ENV=development node dist/src/database/migrate-cli.js run; uptime; $L > /tmp/list-work/levers-after-$i.txt 2>&1
done
uptime
