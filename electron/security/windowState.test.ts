import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, defaultWindowState, loadWindowState, saveWindowState, windowStateFile, type Rect } from './windowState';

const SCREEN: Rect = { x: 0, y: 0, width: 1920, height: 1080 };
const SECOND: Rect = { x: 1920, y: 0, width: 2560, height: 1440 };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'benchtop-window-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('window state', () => {
  it('defaults to 1280×820, centred, when nothing was saved', () => {
    expect(defaultWindowState()).toEqual({ width: 1280, height: 820, maximized: false });
    expect([DEFAULT_WIDTH, DEFAULT_HEIGHT]).toEqual([1280, 820]);
    expect(loadWindowState(dir, [SCREEN])).toEqual(defaultWindowState());
  });

  it('remembers size, position and maximised state', () => {
    saveWindowState(dir, { x: 100, y: 50, width: 1400, height: 900, maximized: true });
    expect(loadWindowState(dir, [SCREEN])).toEqual({ x: 100, y: 50, width: 1400, height: 900, maximized: true });
    expect(JSON.parse(readFileSync(windowStateFile(dir), 'utf8'))).toMatchObject({ width: 1400 });
    expect(readdirSync(dir)).toEqual(['window-state.json']);
  });

  it('keeps a window on a second screen while that screen is there', () => {
    saveWindowState(dir, { x: 2000, y: 100, width: 1600, height: 1000, maximized: false });
    expect(loadWindowState(dir, [SCREEN, SECOND])).toMatchObject({ x: 2000, y: 100 });
  });

  it('falls back to defaults when the saved position is off every screen', () => {
    saveWindowState(dir, { x: 2000, y: 100, width: 1600, height: 1000, maximized: false });
    expect(loadWindowState(dir, [SCREEN])).toEqual(defaultWindowState());
    saveWindowState(dir, { x: -5000, y: -5000, width: 1280, height: 820, maximized: false });
    expect(loadWindowState(dir, [SCREEN])).toEqual(defaultWindowState());
    // Title bar above the top of the screen: unreachable.
    saveWindowState(dir, { x: 100, y: -400, width: 1280, height: 820, maximized: false });
    expect(loadWindowState(dir, [SCREEN])).toEqual(defaultWindowState());
  });

  it('shrinks a window larger than its screen', () => {
    saveWindowState(dir, { x: 0, y: 0, width: 3000, height: 2000, maximized: false });
    expect(loadWindowState(dir, [SCREEN])).toEqual({ x: 0, y: 0, width: 1920, height: 1080, maximized: false });
  });

  it('drops the position, not the size, when the screens are unknown', () => {
    saveWindowState(dir, { x: 10, y: 10, width: 1500, height: 900, maximized: false });
    expect(loadWindowState(dir, [])).toEqual(defaultWindowState());
    saveWindowState(dir, { width: 1500, height: 900, maximized: false });
    expect(loadWindowState(dir, [])).toEqual({ width: 1500, height: 900, maximized: false });
  });

  it.each([
    ['not JSON', '{ width: 1400'],
    ['empty', ''],
    ['wrong types', JSON.stringify({ width: '1400', height: 900 })],
    ['too small', JSON.stringify({ width: 10, height: 10 })],
    ['not numbers', JSON.stringify({ x: null, y: 5, width: 1400, height: 900 })],
    ['x without y', JSON.stringify({ x: 5, width: 1400, height: 900 })],
    ['an array', '[]'],
    ['infinite', '{"width": 1e999, "height": 900}'],
    ['fractional', JSON.stringify({ width: 1400.5, height: 900 })],
  ])('falls back to defaults for a corrupt file (%s)', (_label, text) => {
    writeFileSync(windowStateFile(dir), text);
    expect(loadWindowState(dir, [SCREEN])).toEqual(defaultWindowState());
  });

  it('does not save an absurd state', () => {
    saveWindowState(dir, { x: 0, y: 0, width: 0, height: 0, maximized: false });
    expect(readdirSync(dir)).toEqual([]);
  });
});
