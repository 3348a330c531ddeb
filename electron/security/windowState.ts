/**
 * The window's remembered size and position, in `<configDir>/window-state.json`. A missing or
 * corrupt file, or bounds that would put the window off every screen (a monitor unplugged since),
 * fall back to the default size, centred. Pure apart from reading and writing that one file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const DEFAULT_WIDTH = 1280;
export const DEFAULT_HEIGHT = 820;
export const MIN_WIDTH = 720;
export const MIN_HEIGHT = 480;
/** How much of the window must lie on one screen for the saved position to be kept. */
const MIN_VISIBLE_WIDTH = 120;
const MIN_VISIBLE_HEIGHT = 60;

const Coordinate = z.number().int().min(-100_000).max(100_000);
const Size = z.number().int().max(32_768);

const WindowStateFile = z
  .object({
    x: Coordinate.optional(),
    y: Coordinate.optional(),
    width: Size.min(MIN_WIDTH),
    height: Size.min(MIN_HEIGHT),
    maximized: z.boolean().default(false),
  })
  .refine((s) => (s.x === undefined) === (s.y === undefined), 'x and y come together');

export interface WindowState {
  /** Absent: let the window manager centre the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

/** A screen's usable area (Electron's `Display.workArea`). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function defaultWindowState(): WindowState {
  return { width: DEFAULT_WIDTH, height: DEFAULT_HEIGHT, maximized: false };
}

export function windowStateFile(configDir: string): string {
  return join(configDir, 'window-state.json');
}

/**
 * The state to open the window with. `displays` are the work areas of the screens now attached;
 * with none known, a saved position is dropped (the size is kept).
 */
export function loadWindowState(configDir: string, displays: readonly Rect[]): WindowState {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(windowStateFile(configDir), 'utf8'));
  } catch {
    return defaultWindowState();
  }
  const parsed = WindowStateFile.safeParse(raw);
  if (!parsed.success) return defaultWindowState();
  return fitToDisplays(parsed.data, displays);
}

/** Keep a saved state only where it can be seen; shrink it to the screen it is on. */
export function fitToDisplays(state: WindowState, displays: readonly Rect[]): WindowState {
  const { x, y, width, height, maximized } = state;
  if (x === undefined || y === undefined) return { width, height, maximized };
  const screen = displays.find((d) => visibleOverlap({ x, y, width, height }, d));
  if (!screen) return defaultWindowState();
  return {
    x,
    y,
    width: Math.max(MIN_WIDTH, Math.min(width, screen.width)),
    height: Math.max(MIN_HEIGHT, Math.min(height, screen.height)),
    maximized,
  };
}

function visibleOverlap(win: Rect, screen: Rect): boolean {
  const w = Math.min(win.x + win.width, screen.x + screen.width) - Math.max(win.x, screen.x);
  const h = Math.min(win.y + win.height, screen.y + screen.height) - Math.max(win.y, screen.y);
  // The title bar must be reachable: the window's top edge lies on this screen.
  const topOnScreen = win.y >= screen.y && win.y < screen.y + screen.height - MIN_VISIBLE_HEIGHT / 2;
  return w >= MIN_VISIBLE_WIDTH && h >= MIN_VISIBLE_HEIGHT && topOnScreen;
}

/** Write atomically (temp file, then rename), so a crash mid-write leaves the old file. */
export function saveWindowState(configDir: string, state: WindowState): void {
  const checked = WindowStateFile.safeParse(state);
  if (!checked.success) return; // a minimised or absurd window is not worth remembering
  const file = windowStateFile(configDir);
  mkdirSync(configDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(checked.data, null, 2)}\n`);
  renameSync(tmp, file);
}
