// `npm run bench`: every benchmark in dist/bench/, one after the other (BENCH_ONLY=name,name to choose).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../dist/bench/', import.meta.url));
const only = process.env.BENCH_ONLY?.split(',').filter(Boolean);
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.js'))
  .map((f) => f.slice(0, -3))
  .filter((n) => !only || only.includes(n))
  .sort();
let failed = 0;
for (const name of names) {
  console.log(`\n== ${name} ==`);
  const r = spawnSync(process.execPath, [`${dir}${name}.js`], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
