// swagger-parser-bench.mjs - the comparison side of bench/import.
//
//   node bench/swagger-parser-bench.mjs SPEC.json
//
// Does what a Node tool built on @apidevtools/swagger-parser does to take in a spec:
// SwaggerParser.validate(file) (schema validation plus a check of every $ref), then
// SwaggerParser.dereference(file) (every $ref resolved), then counts the operations.
// Each call gets the file name, so each reads and parses the file itself, as a tool would.
//
// Prints one line:  ops=N validate=ok|FAILED dereference=ok|FAILED validate_s=S dereference_s=S [error=...]
// (the two times are each call's own, measured inside Node, without Node's start-up)
// and exits 0 when dereference succeeded (even if validate threw: that is recorded, not
// fatal, so the time of what did run is still measured), 1 otherwise.
//
// swagger-parser is looked up in bench/.cache/node_modules (where bench/import installs it),
// or in $BENCH_CACHE/node_modules when that is set.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const cache = process.env.BENCH_CACHE || path.join(here, '.cache');
const require = createRequire(path.join(path.resolve(cache), 'package.json'));
const SwaggerParser = require('@apidevtools/swagger-parser');

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function countOperations(api) {
  let n = 0;
  for (const item of Object.values(api.paths || {}))
    for (const m of METHODS)
      if (item && typeof item === 'object' && item[m]) n++;
  return n;
}

function oneLine(err) {
  return String(err && err.message ? err.message : err).split('\n')[0].slice(0, 200);
}

const file = process.argv[2];
if (!file) {
  console.error('usage: node swagger-parser-bench.mjs SPEC.json');
  process.exit(2);
}

let validate = 'ok', deref = 'ok', ops = 0;
const errors = [];
const t0 = performance.now();
try {
  await SwaggerParser.validate(file);
} catch (err) {
  validate = 'FAILED';
  errors.push('validate: ' + oneLine(err));
}
const t1 = performance.now();
try {
  ops = countOperations(await SwaggerParser.dereference(file));
} catch (err) {
  deref = 'FAILED';
  errors.push('dereference: ' + oneLine(err));
}
const t2 = performance.now();
const secs = (ms) => (ms / 1000).toFixed(3);
let line = `ops=${ops} validate=${validate} dereference=${deref}` +
  ` validate_s=${secs(t1 - t0)} dereference_s=${secs(t2 - t1)}`;
if (errors.length) line += ` error=${JSON.stringify(errors.join('; '))}`;
console.log(line);
process.exit(deref === 'ok' ? 0 : 1);
