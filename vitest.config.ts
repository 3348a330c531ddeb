import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vitest/config';

/** Migrations are .sql files imported as text, as esbuild's text loader does in the build. */
function sqlAsText(): Plugin {
  return {
    name: 'sql-as-text',
    load(id) {
      if (!id.endsWith('.sql')) return null;
      return `export default ${JSON.stringify(readFileSync(id, 'utf8'))};`;
    },
  };
}

export default defineConfig({
  plugins: [sqlAsText()],
  test: {
    include: ['{shared,db,electron,renderer,scripts,tests}/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
