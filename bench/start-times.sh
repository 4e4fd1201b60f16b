#!/bin/bash
# Times `npm start` to "ready: gateway": a first start on a fresh data directory
# (databases created, migrated and seeded), then a later start on the same one,
# neither with a source change (the build step says whether it compiled).
#
#   bash bench/start-times.sh
set -e
cd "$(dirname "$0")/.."
D=$(mktemp -d /tmp/send-start-XXXX); chmod 755 "$D"
set -- $(node -e "const n=require('net');(async()=>{const p=[];for(let i=0;i<5;i++)p.push(await new Promise(r=>{const s=n.createServer().listen(0,'127.0.0.1',()=>{const q=s.address().port;s.close(()=>r(q))})}));console.log(p.join(' '))})()")
for run in first later; do
  log="$D/$run.log"
  t0=$(date +%s.%N)
  DATA_DIR=$D PORT=$1 CASEWORK_PORT=$2 HEALTH_PORT=$3 GOVERNANCE_PORT=$4 EMBEDDED_PG_PORT=$5 setsid npm start > "$log" 2>&1 &
  pid=$!
  until grep -q "ready: gateway" "$log"; do sleep 0.2; kill -0 $pid 2>/dev/null || { cat "$log"; exit 1; }; done
  t1=$(date +%s.%N)
  echo "$run start: $(echo "$t1 - $t0" | bc) s to ready; $(grep '^build:' "$log" | tr '\n' ' ')(load average $(cut -d' ' -f1 /proc/loadavg), $(nproc) cores)"
  kill -INT $(pgrep -P "$(pgrep -P $pid sh || echo $pid)" -f 'dist/infra/start.js' || echo $pid) 2>/dev/null || true
  wait $pid || true
done
rm -rf "$D"
