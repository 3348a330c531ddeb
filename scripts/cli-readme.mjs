// README's command table, made from the CLI's own command list (the build's): `node scripts/cli-readme.mjs`
// rewrites it between the markers, `--check` only says whether it is current (exit 1 when not).
// `--readme FILE` works on another copy of the README.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const START = '<!-- cli-commands:start (made by node scripts/cli-readme.mjs from electron/cli/main.ts) -->';
const END = '<!-- cli-commands:end -->';

const { values } = parseArgs({ options: { check: { type: 'boolean' }, readme: { type: 'string' } } });
const readme = values.readme ?? fileURLToPath(new URL('../README.md', import.meta.url));
const bundle = fileURLToPath(new URL('../dist/cli/benchtop.js', import.meta.url));

let commandList;
try {
  ({ commandList } = await import(bundle));
} catch (err) {
  process.stderr.write(`cli-readme: cannot load ${bundle} (run \`npm run build\` first): ${err.message}\n`);
  process.exit(2);
}

/** A table cell: pipes escaped (also inside code, as GitHub's tables need), `<…>` kept as text. */
const cell = (text) => text.replace(/\|/g, '\\|');
const rows = commandList().map((c) => `| \`${cell(c.usage)}\` | ${cell(c.summary).replace(/</g, '&lt;')} |`);
const table = [START, '| command | what it does |', '|---|---|', ...rows, END].join('\n');

const text = readFileSync(readme, 'utf8');
const from = text.indexOf(START);
const to = text.indexOf(END);
if (from === -1 || to < from) {
  process.stderr.write(`cli-readme: ${readme} has no command table between the markers ${START} and ${END}.\n`);
  process.exit(2);
}
const next = text.slice(0, from) + table + text.slice(to + END.length);
if (values.check) {
  if (next !== text) {
    process.stderr.write(`cli-readme: the command table in ${readme} differs from the CLI's command list: regenerate it with \`node scripts/cli-readme.mjs\`.\n`);
    process.exit(1);
  }
} else if (next !== text) {
  writeFileSync(readme, next);
  process.stdout.write(`Updated the command table in ${readme} (${rows.length} commands).\n`);
}
