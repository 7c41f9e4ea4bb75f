const autocannon = require('/work/main/node_modules/autocannon');
const [url, secs] = [process.argv[2], Number(process.argv[3] || 10)];
const token = require('fs').readFileSync('/tmp/token','utf8').trim();
autocannon({ url, connections: 50, duration: secs, headers: { authorization: `Bearer ${token}` } }, (e, r) => { console.log(r.requests.total); });
