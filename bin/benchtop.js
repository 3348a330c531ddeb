#!/usr/bin/env node
// The `benchtop` command. The TypeScript sources are built into dist/ by `npm install` (prepare)
// or `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/cli/benchtop.js', import.meta.url));
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  // `npm install` brings the project's own Node 22 (the `node` devDependency) into node_modules/.bin,
  // which npm scripts and npx put first on PATH; only a direct `node bin/benchtop.js` lands here.
  process.stderr.write(
    `benchtop needs Node.js 22.12 or newer; this is ${process.version}. In the Benchtop folder, after ` +
      '`npm install`, run it as `npx benchtop …` (or `npm start`, `npm run serve`): they use the Node 22 ' +
      'that npm installed there.\n',
  );
  process.exit(1);
}
if (!existsSync(entry)) {
  process.stderr.write('benchtop is not built yet: run `npm run build` in the Benchtop folder first.\n');
  process.exit(1);
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
