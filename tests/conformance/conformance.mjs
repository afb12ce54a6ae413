// Conformance of lockstep-sandbox with Mixpanel's own OpenAPI files and official Node
// library. Usage: node conformance.mjs SANDBOX_BIN SPEC_DIR
// Every kind of reply the emulator gives is validated against the response schema the
// spec documents for that path and status; a mismatch fails the test. Then the official
// `mixpanel` package does people.set / union / remove against the emulator and the effect
// is read back through the query API.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

// The npm packages come from the set-up (`make deps`: installer/fetch-node-modules.sh
// runs `npm ci` and leaves a copy of package.json + package-lock.json in node_modules);
// a test run never fetches them, so missing or stale ones fail here, saying what to do.
{
  const here = path.dirname(fileURLToPath(import.meta.url));
  const stamp = path.join(here, 'node_modules', '.lockstep-stamp');
  const want = ['package.json', 'package-lock.json'].map((f) => fs.readFileSync(path.join(here, f), 'utf8')).join('');
  const have = fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8') : null;
  if (have !== want) {
    console.error(`FAIL  the conformance tests' npm packages are ${have === null ? 'missing' : 'out of date'} in ${path.join(here, 'node_modules')}:\n` +
                  '      run `make deps` (or installer/fetch-node-modules.sh) once, with network access');
    process.exit(1);
  }
}

const require = createRequire(import.meta.url);
const yaml = require('js-yaml');
const Ajv = require('ajv');
const Mixpanel = require('mixpanel');

const [sandboxBin, specDir] = process.argv.slice(2);
if (!sandboxBin || !specDir) {
  console.error('usage: node conformance.mjs SANDBOX_BIN SPEC_DIR');
  process.exit(2);
}

let failures = 0;
const check = (ok, what, detail = '') => {
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${what}${ok || !detail ? '' : '\n      ' + detail}`);
  if (!ok) failures++;
};

// ---- the spec -------------------------------------------------------------------------
const specs = {
  ingestion: yaml.load(fs.readFileSync(path.join(specDir, 'ingestion.openapi.yaml'), 'utf8')),
  query: yaml.load(fs.readFileSync(path.join(specDir, 'query.openapi.yaml'), 'utf8')),
};

function resolve(doc, node) {
  while (node && node.$ref) {
    node = node.$ref.replace(/^#\//, '').split('/').reduce((o, k) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return node;
}

// OpenAPI 3.0 schema -> JSON Schema: inline $refs, `nullable` -> a null type.
function toJsonSchema(doc, schema) {
  schema = resolve(doc, schema);
  if (Array.isArray(schema)) return schema.map((s) => toJsonSchema(doc, s));
  if (!schema || typeof schema !== 'object') return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (['example', 'examples', 'nullable', 'title', 'x-readme-ref-name'].includes(k)) continue;
    out[k] = ['properties'].includes(k)
      ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, toJsonSchema(doc, s)]))
      : typeof v === 'object' ? toJsonSchema(doc, v) : v;
  }
  if (schema.nullable && out.type) out.type = [].concat(out.type, 'null');
  return out;
}

function responseSchema(specName, pathKey, method, status) {
  const doc = specs[specName];
  const op = doc.paths[pathKey]?.[method];
  if (!op) throw new Error(`spec ${specName} has no ${method} ${pathKey}`);
  const response = resolve(doc, op.responses[String(status)]);
  if (!response) throw new Error(`spec ${specName} documents no ${status} for ${method} ${pathKey}`);
  const [contentType, media] = Object.entries(response.content)[0];
  return { contentType, schema: toJsonSchema(doc, media.schema) };
}

// Errata: places where the published spec contradicts Mixpanel's actual behaviour and its
// own other files. Each is applied explicitly, and the test proves it is still needed (the
// unpatched schema must reject what the real API sends), so a fixed spec drops it.
const errata = [
  {
    spec: 'query', path: '/engage', status: 200,
    reason: 'results[].$distinct_id is typed integer (from an example with id 4); distinct ids are strings '
      + '(ingestion spec: $distinct_id type string) and the API returns them as strings',
    patch: (s) => { s.properties.results.items.properties.$distinct_id = { type: 'string' }; },
    realSample: { page: 0, page_size: 1000, session_id: 's', status: 'ok', total: 1,
      results: [{ $distinct_id: 'user-1', $properties: {} }] },
  },
];

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
function validate(what, specName, pathKey, method, status, reply) {
  let expected;
  try {
    expected = responseSchema(specName, pathKey, method, status);
  } catch (e) {
    check(false, what, e.message);
    return;
  }
  const schema = structuredClone(expected.schema);
  for (const e of errata) if (e.spec === specName && e.path === pathKey && e.status === status) e.patch(schema);
  check(reply.status === status, `${what}: HTTP ${status}`, `got HTTP ${reply.status}: ${reply.body.slice(0, 200)}`);
  const type = (reply.headers.get('content-type') || '').split(';')[0];
  check(type === expected.contentType, `${what}: Content-Type ${expected.contentType}`, `got ${type}`);
  let body;
  try {
    body = JSON.parse(reply.body);
  } catch (e) {
    check(false, `${what}: body parses`, `${e.message}: ${reply.body.slice(0, 200)}`);
    return;
  }
  const ok = ajv.validate(schema, body);
  check(ok, `${what}: body matches ${specName} ${method.toUpperCase()} ${pathKey} ${status}`,
    ok ? '' : ajv.errorsText() + ' in ' + reply.body.slice(0, 300));
}

// ---- the sandbox ----------------------------------------------------------------------
const scenario = {
  seed: 3,
  customerio: { app_api_key: 'k' },
  mixpanel: {
    project_token: 'conformance-token', project_id: 99, service_account: 'conf.sa:s3cret',
    query_limit_per_hour: 100000,
    cohorts: [
      { id: 11, name: 'CIO | Conformance | 30d', property: 'cio_cohorts', value: 'CIO | Conformance | 30d' },
      { id: 12, name: 'CIO | Flag', property: 'CIO | Flag', flag: true },
    ],
  },
  population: { size: 50 },
  segments: [{ id: 1, name: 's', size: 10 }],
};
const scenarioFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-conf-')), 'scenario.json');
fs.writeFileSync(scenarioFile, JSON.stringify(scenario));
const child = spawn(sandboxBin, ['--scenario', scenarioFile], { stdio: ['ignore', 'pipe', 'inherit'] });
const urls = await new Promise((resolveUrls, reject) => {
  let buffer = '';
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    const nl = buffer.indexOf('\n');
    if (nl >= 0) resolveUrls(JSON.parse(buffer.slice(0, nl)));
  });
  child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  setTimeout(() => reject(new Error('sandbox did not print its URLs')), 30000);
});
const mp = urls.mixpanel;
const port = Number(new URL(mp).port);

async function http(method, url, { body, headers = {} } = {}) {
  const res = await fetch(url, { method, body, headers });
  return { status: res.status, headers: res.headers, body: await res.text() };
}
const basic = (cred) => ({ Authorization: 'Basic ' + Buffer.from(cred).toString('base64') });
const form = (obj) => new URLSearchParams(obj).toString();
const formHeaders = { 'Content-Type': 'application/x-www-form-urlencoded' };
const token = scenario.mixpanel.project_token;
const upd = (id, op, arg, tok = token) => ({ $token: tok, $distinct_id: id, [op]: arg, $ignore_time: true });

try {
  // /engage replies: 1, 0 (each documented for every engage operation path). A token of
  // another project is answered 1 as Mixpanel does (the sandbox's 401 is strict_token's).
  const engagePaths = ['/engage#profile-set', '/engage#profile-union', '/engage#profile-list-remove',
    '/engage#profile-unset', '/engage#profile-batch-update', '/engage#profile-delete'];
  const ok = await http('POST', `${mp}/engage`, { body: JSON.stringify([upd('c1', '$set', { a: 1 })]) });
  const zero = await http('POST', `${mp}/engage`, { body: JSON.stringify([{ $token: token, $distinct_id: 'c1' }]) });
  const otherProject = await http('POST', `${mp}/engage`, { body: JSON.stringify([upd('c1', '$set', { a: 1 }, 'bad')]) });
  for (const p of engagePaths) {
    validate(`engage accepted (${p})`, 'ingestion', p, 'post', 200, ok);
    validate(`engage rejected (${p})`, 'ingestion', p, 'post', 200, zero);
    validate(`engage token of another project (${p})`, 'ingestion', p, 'post', 200, otherProject);
  }
  check(ok.body === '1' && zero.body === '0', 'engage replies 1 / 0 as text');
  check(otherProject.body === '1', 'engage answers 1 to a token of another project', otherProject.body);
  // verbose=1 has no response schema; the parameter's description defines it.
  const verbose = await http('POST', `${mp}/engage?verbose=1`, { body: JSON.stringify([upd('c1', '$set', { a: 1 })]) });
  const verboseSchema = { type: 'object', required: ['status', 'error'], additionalProperties: false,
    properties: { status: { type: 'integer', enum: [0, 1] }, error: { type: ['string', 'null'] } } };
  check(ajv.validate(verboseSchema, JSON.parse(verbose.body)), 'engage verbose=1 body {status, error}', verbose.body);

  // /import replies: 200, 400 (strict, failed_records), 401, 413, 429.
  const importUrl = `${mp}/import?strict=1&project_id=99`;
  const ev = (i, extra = {}) => ({ event: 'Cohort Entered',
    properties: { time: 1700000000 + i, distinct_id: `d${i}`, $insert_id: `ins-${i}`, ...extra } });
  validate('import ok', 'ingestion', '/import', 'post', 200,
    await http('POST', importUrl, { body: JSON.stringify([ev(1), ev(2)]), headers: basic('conf.sa:s3cret') }));
  validate('import ok (gzip NDJSON, token auth)', 'ingestion', '/import', 'post', 200,
    await http('POST', importUrl, { body: zlib.gzipSync([ev(3), ev(4)].map((e) => JSON.stringify(e)).join('\n')),
      headers: { ...basic(`${token}:`), 'Content-Encoding': 'gzip', 'Content-Type': 'application/x-ndjson' } }));
  validate('import strict failure', 'ingestion', '/import', 'post', 400,
    await http('POST', importUrl, { body: JSON.stringify([ev(5), ev(6, { distinct_id: 'null' })]), headers: basic('conf.sa:s3cret') }));
  validate('import bad credentials', 'ingestion', '/import', 'post', 401,
    await http('POST', importUrl, { body: JSON.stringify([ev(7)]), headers: basic('conf.sa:wrong') }));
  validate('import too large', 'ingestion', '/import', 'post', 413,
    await http('POST', importUrl, { body: JSON.stringify([ev(8, { pad: 'x'.repeat(2 * 1024 * 1024) })]), headers: basic('conf.sa:s3cret') }));
  await http('POST', `${mp}/_sandbox/faults`, { body: JSON.stringify({ route: 'mp.import', status: 429, count: 1 }) });
  validate('import rate limited', 'ingestion', '/import', 'post', 429,
    await http('POST', importUrl, { body: JSON.stringify([ev(9)]), headers: basic('conf.sa:s3cret') }));

  // Query API: /cohorts/list and /engage, under both prefixes.
  for (const prefix of ['/api/query', '/api/2.0']) {
    validate(`cohorts/list (${prefix})`, 'query', '/cohorts/list', 'post', 200,
      await http('POST', `${mp}${prefix}/cohorts/list?project_id=99`, { headers: basic('conf.sa:s3cret') }));
    validate(`engage query (${prefix})`, 'query', '/engage', 'post', 200,
      await http('POST', `${mp}${prefix}/engage?project_id=99`, { body: form({ where: 'defined(properties["a"])' }),
        headers: { ...basic('conf.sa:s3cret'), ...formHeaders } }));
  }
  for (const e of errata) {
    const raw = toJsonSchema(specs[e.spec], specs[e.spec].paths[e.path].post.responses[e.status].content['application/json'].schema);
    check(!ajv.validate(raw, e.realSample), `erratum still needed: ${e.reason}`);
  }

  // ---- the official Node library ------------------------------------------------------
  const lib = Mixpanel.init(token, { host: '127.0.0.1', port, protocol: 'http', verbose: true, keepAlive: false });
  const call = (fn) => new Promise((res) => fn((err) => res(err)));
  let err = await call((cb) => lib.people.set('node-user', { plan: 'pro', $ignore_time: true }, cb));
  check(!err, 'mixpanel npm: people.set', String(err));
  err = await call((cb) => lib.people.union('node-user', { cio_cohorts: ['CIO | Conformance | 30d'] }, cb));
  check(!err, 'mixpanel npm: people.union', String(err));
  err = await call((cb) => lib.people.set('node-flag', 'CIO | Flag', true, cb));
  check(!err, 'mixpanel npm: people.set (flag)', String(err));

  const cohort = async (id) => {
    const r = await http('POST', `${mp}/api/query/engage?project_id=99`, {
      body: form({ filter_by_cohort: JSON.stringify({ id }) }), headers: { ...basic('conf.sa:s3cret'), ...formHeaders } });
    return JSON.parse(r.body).results;
  };
  let members = await cohort(11);
  check(members.length === 1 && members[0].$distinct_id === 'node-user' && members[0].$properties.plan === 'pro',
    'query API sees people.set + people.union', JSON.stringify(members));
  check((await cohort(12)).map((m) => m.$distinct_id).join() === 'node-flag', 'query API sees the flag cohort');
  err = await call((cb) => lib.people.remove('node-user', { cio_cohorts: 'CIO | Conformance | 30d' }, cb));
  check(!err, 'mixpanel npm: people.remove', String(err));
  members = await cohort(11);
  check(members.length === 0, 'query API sees people.remove', JSON.stringify(members));
  const stats = JSON.parse((await http('GET', `${mp}/_sandbox/stats?log_limit=0`)).body);
  check(stats.engage.operators.$union >= 1 && stats.engage.operators.$remove >= 1,
    'the library used $union and $remove', JSON.stringify(stats.engage));
} catch (e) {
  check(false, 'conformance run', e.stack);
} finally {
  child.kill('SIGTERM');
}
console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
process.exit(failures ? 1 : 0);
