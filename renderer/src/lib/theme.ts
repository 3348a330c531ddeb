import { useSyncExternalStore } from 'react';

/** "system" follows the OS (prefers-color-scheme); light and dark override it via <html data-theme>. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'benchtop.theme';
const listeners = new Set<() => void>();

function read(): ThemeChoice {
  try {
    const saved = window.localStorage.getItem(KEY);
    return saved === 'light' || saved === 'dark' ? saved : 'system';
  } catch {
    return 'system';
  }
}

let current: ThemeChoice = read();

function apply(choice: ThemeChoice): void {
  if (choice === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', choice);
}

export function initTheme(): void {
  apply(current);
}

export function setTheme(choice: ThemeChoice): void {
  current = choice;
  try {
    if (choice === 'system') window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, choice);
  } catch {
    // Not saved (storage unavailable), but still applied for this session.
  }
  apply(choice);
  for (const listener of listeners) listener();
}

export function useTheme(): ThemeChoice {
  return useSyncExternalStore(
    (onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    () => current,
  );
}
