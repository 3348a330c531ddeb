/**
 * The layering of DESIGN.md, checked on the source text (a second lock beside the ESLint rules):
 *  - only electron/main and electron/preload import `electron` (static import, export … from,
 *    dynamic import() or require());
 *  - shared/ (the contract) imports no Node built-in and no native module, and touches no DOM global.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', '.tools', 'test-results', 'playwright-report', 'release']);
const ELECTRON_ALLOWED = ['electron/main/', 'electron/preload/'];

const NODE_BUILTINS = new Set([
  ...builtinModules,
  'fs',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'https',
  'url',
  'events',
  'stream',
  'util',
  'worker_threads',
]);
const NATIVE_MODULES = new Set(['better-sqlite3']);
const DOM_GLOBALS = ['window', 'document', 'localStorage', 'navigator', 'HTMLElement'];

/**
 * The source with comments removed and the text of string literals kept (import specifiers live
 * there). Good enough for TypeScript sources: quotes, template literals and comments are tracked.
 */
function stripComments(source: string): string {
  let out = '';
  let i = 0;
  let quote: string | null = null;
  while (i < source.length) {
    const c = source[i] as string;
    const next = source[i + 1];
    if (quote) {
      out += c;
      if (c === '\\') {
        out += next ?? '';
        i += 2;
        continue;
      }
      if (c === quote) quote = null;
      i++;
      continue;
    }
    if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    out += c;
    i++;
  }
  return out;
}

/** Every module specifier the source names: import/export … from, import 'x', import('x'), require('x'). */
function moduleSpecifiers(source: string): string[] {
  const code = stripComments(source);
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[\w*${}\s,]*?\bfrom\s*(['"`])([^'"`\n]+)\1/g,
    /\bimport\s*(['"`])([^'"`\n]+)\1/g,
    /\bimport\s*\(\s*(['"`])([^'"`\n]+)\1\s*[,)]/g,
    /\brequire\s*\(\s*(['"`])([^'"`\n]+)\1\s*\)/g,
    /\brequire\.resolve\s*\(\s*(['"`])([^'"`\n]+)\1\s*[,)]/g,
  ];
  const found: string[] = [];
  for (const pattern of patterns) {
    for (const m of code.matchAll(pattern)) found.push(m[2] as string);
  }
  return found;
}

function importsElectron(source: string): string[] {
  return moduleSpecifiers(source).filter((s) => s === 'electron' || s.startsWith('electron/'));
}

function nodeImports(source: string): string[] {
  return moduleSpecifiers(source).filter((s) => {
    if (s.startsWith('node:')) return true;
    const first = s.split('/')[0] as string;
    return NODE_BUILTINS.has(first) || NODE_BUILTINS.has(s) || NATIVE_MODULES.has(first);
  });
}

/** DOM globals used as values (not `x.window`, not an object key or property `window:`), outside strings and comments. */
function domGlobals(source: string): string[] {
  const code = stripComments(source).replace(/(['"`])(?:\\.|(?!\1)[^\\\n])*\1/g, '""');
  const found: string[] = [];
  for (const name of DOM_GLOBALS) {
    const re = new RegExp(`(?<![.\\w$])${name}(?![\\w$])(?!\\s*\\??:)`, 'g');
    if (re.test(code)) found.push(name);
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') && entry.isDirectory()) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) files.push(...sourceFiles(full));
    } else if (/\.(ts|tsx|mts|cts)$/.test(entry.name)) {
      files.push(full);
    }
  }
  return files;
}

const rel = (file: string) => relative(ROOT, file).split(sep).join('/');

describe('the scanner itself', () => {
  it('finds electron in every form of import', () => {
    expect(importsElectron(`import { app } from 'electron';`)).toEqual(['electron']);
    expect(importsElectron(`import type { WebContents } from "electron";`)).toEqual(['electron']);
    expect(importsElectron(`import {\n  app,\n  BrowserWindow,\n} from 'electron';`)).toEqual(['electron']);
    expect(importsElectron(`import * as e from 'electron/main';`)).toEqual(['electron/main']);
    expect(importsElectron(`import 'electron';`)).toEqual(['electron']);
    expect(importsElectron(`export { ipcMain } from 'electron';`)).toEqual(['electron']);
    expect(importsElectron(`const e = await import('electron');`)).toEqual(['electron']);
    expect(importsElectron(`const { shell } = require("electron");`)).toEqual(['electron']);
    expect(importsElectron(`const p = require.resolve('electron/package.json');`)).toEqual(['electron/package.json']);
    expect(importsElectron(`const e = require ( 'electron' )`)).toEqual(['electron']);
  });

  it('leaves alone what is not an import of electron', () => {
    expect(importsElectron(`// import { app } from 'electron';`)).toEqual([]);
    expect(importsElectron(`/* require('electron') */ const x = 1;`)).toEqual([]);
    expect(importsElectron(`import { _electron } from '@playwright/test';`)).toEqual([]);
    expect(importsElectron(`import x from 'electron-builder';`)).toEqual([]);
    expect(importsElectron(`const url = 'https://example.org/electron'; // not an import`)).toEqual([]);
    expect(importsElectron(`const electronVersion = process.versions.electron;`)).toEqual([]);
  });

  it('finds Node built-ins and native modules', () => {
    expect(nodeImports(`import { readFileSync } from 'node:fs';`)).toEqual(['node:fs']);
    expect(nodeImports(`import { join } from 'path';`)).toEqual(['path']);
    expect(nodeImports(`import { readFile } from 'fs/promises';`)).toEqual(['fs/promises']);
    expect(nodeImports(`const cp = require('child_process');`)).toEqual(['child_process']);
    expect(nodeImports(`const w = await import('worker_threads');`)).toEqual(['worker_threads']);
    expect(nodeImports(`import Database from 'better-sqlite3';`)).toEqual(['better-sqlite3']);
    expect(nodeImports(`import { z } from 'zod';\nimport { x } from './schemas/x';`)).toEqual([]);
    expect(nodeImports(`import { EventEmitter } from 'events';`)).toEqual(['events']);
    expect(nodeImports(`import { x } from './crypto';`)).toEqual([]);
  });

  it('finds DOM globals used as values, not as names of properties or in text', () => {
    expect(domGlobals(`const w = window.innerWidth;`)).toEqual(['window']);
    expect(domGlobals(`document.title = 'x';`)).toEqual(['document']);
    expect(domGlobals(`if (typeof localStorage !== 'undefined') {}`)).toEqual(['localStorage']);
    expect(domGlobals(`const ua = navigator.userAgent;`)).toEqual(['navigator']);
    expect(domGlobals(`function f(el: HTMLElement) {}`)).toEqual(['HTMLElement']);
    expect(domGlobals(`const o = { window: 3, document?: 'x' }; o.window;`)).toEqual([]);
    expect(domGlobals(`const kind = z.enum(['document', 'window']); // uses window`)).toEqual([]);
    expect(domGlobals(`const windowSize = 5; const documents = [];`)).toEqual([]);
  });

  it('flags a planted bad line in an otherwise clean file', () => {
    const clean = `import { z } from 'zod';\nexport const X = z.string();\n`;
    expect(importsElectron(clean)).toEqual([]);
    expect(nodeImports(clean)).toEqual([]);
    expect(domGlobals(clean)).toEqual([]);
    expect(importsElectron(`${clean}import { app } from 'electron';\n`)).toEqual(['electron']);
    expect(nodeImports(`${clean}import { homedir } from 'node:os';\n`)).toEqual(['node:os']);
    expect(domGlobals(`${clean}export const here = () => window.location.href;\n`)).toEqual(['window']);
  });
});

describe('layering of the source tree', () => {
  const files = sourceFiles(ROOT);

  it('finds the source files', () => {
    expect(files.map(rel)).toContain('shared/contract.ts');
    expect(files.map(rel)).toContain('electron/main/index.ts');
  });

  it('imports electron only in electron/main and electron/preload', () => {
    const offenders = files
      .map(rel)
      .filter((f) => !ELECTRON_ALLOWED.some((dir) => f.startsWith(dir)))
      .filter((f) => f !== 'tests/layering.test.ts')
      .flatMap((f) => importsElectron(readFileSync(join(ROOT, f), 'utf8')).map((s) => `${f} imports ${s}`));
    expect(offenders).toEqual([]);
  });

  it('keeps Node and the DOM out of shared/', () => {
    const shared = files.map(rel).filter((f) => f.startsWith('shared/') && !/\.test\.tsx?$/.test(f));
    expect(shared.length).toBeGreaterThan(0);
    const offenders = shared.flatMap((f) => {
      const text = readFileSync(join(ROOT, f), 'utf8');
      return [...nodeImports(text).map((s) => `${f} imports ${s}`), ...domGlobals(text).map((g) => `${f} uses ${g}`)];
    });
    expect(offenders).toEqual([]);
  });
});
