// Builds everything `npm start`, `npm run serve` and the CLI need into dist/:
// the Node side with esbuild (fast, one file per entry), the renderer with Vite.
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const quiet = process.argv.includes('--quiet');

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  loader: { '.sql': 'text' },
  logLevel: quiet ? 'error' : 'warning',
};

await Promise.all([
  // The CLI and `benchtop serve`: every npm package stays external (better-sqlite3 is native).
  esbuild({
    ...common,
    entryPoints: { 'cli/benchtop': 'electron/cli/main.ts', 'cli/ingestWorker': 'electron/nanopore/ingest/distanceWorker.ts' },
    outdir: 'dist',
    format: 'esm',
    packages: 'external',
    outExtension: { '.js': '.js' },
  }),
  // The benchmarks (`npm run bench`).
  esbuild({
    ...common,
    entryPoints: Object.fromEntries(readdirSync('bench').filter((f) => f.endsWith('.ts')).map((f) => [`bench/${f.slice(0, -3)}`, `bench/${f}`])),
    outdir: 'dist',
    format: 'esm',
    packages: 'external',
  }),
  // The reads query worker thread (electron/reads/pool.ts starts it from dist/workers/sql.js).
  esbuild({
    ...common,
    entryPoints: { 'workers/sql': 'electron/reads/sqlWorker.ts' },
    outdir: 'dist',
    format: 'esm',
    packages: 'external',
  }),
  // Electron's main process: CommonJS, electron and npm packages external.
  esbuild({
    ...common,
    entryPoints: { 'electron/main': 'electron/main/index.ts' },
    outdir: 'dist',
    format: 'cjs',
    packages: 'external',
    outExtension: { '.js': '.cjs' },
  }),
  // The sandboxed preload may require nothing but electron: bundle the contract into it.
  esbuild({
    ...common,
    entryPoints: { 'electron/preload': 'electron/preload/index.ts' },
    outdir: 'dist',
    format: 'cjs',
    external: ['electron'],
    minify: true,
    outExtension: { '.js': '.cjs' },
  }),
]);

await vite({ configFile: `${root}/vite.config.ts`, logLevel: quiet ? 'error' : 'warn' });
if (!quiet) console.log('built dist/');
