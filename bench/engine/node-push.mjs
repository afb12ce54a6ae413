// The comparison: the same memberships pushed through the official `mixpanel` Node
// library, the way it works: one profile update per request (people.union), here with
// $ignore_time like the engine's batches. Client-side concurrency is ours: a keep-alive
// agent and CONCURRENCY updates in flight (the library itself has no batching for
// people updates). Prints one JSON line.
//
// usage: node node-push.mjs MIXPANEL_URL TOKEN PROPERTY VALUE KEYS_FILE CONCURRENCY
//   KEYS_FILE: one distinct_id a line.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Mixpanel = require('mixpanel');

const [, , mixpanelUrl, token, property, value, keysFile, concurrencyArg] = process.argv;
const concurrency = Number(concurrencyArg || 32);
const url = new URL(mixpanelUrl);
const keys = fs.readFileSync(keysFile, 'utf8').split('\n').filter(Boolean);

// The library's own agent keeps connections alive (keepAlive: true), so each of the
// CONCURRENCY workers reuses its socket.
const mixpanel = Mixpanel.init(token, {
  host: url.hostname,
  port: Number(url.port),
  protocol: 'http',
  keepAlive: true,
});

let next = 0;
let failed = 0;
const started = process.hrtime.bigint();

function union(key) {
  return new Promise((resolve) => {
    mixpanel.people.union(key, { [property]: [value] }, { $ignore_time: true }, (err) => {
      if (err) failed++;
      resolve();
    });
  });
}

async function worker() {
  while (next < keys.length) {
    const key = keys[next++];
    await union(key);
  }
}

await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(JSON.stringify({ updates: keys.length, failed, concurrency, seconds,
                             updates_per_second: keys.length / seconds }));
process.exit(0);
