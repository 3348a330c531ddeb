/* global window, document */
// Runs before the first paint: applies the theme chosen in Settings (see src/lib/theme.ts), so a
// Light or Dark override does not flash the OS theme first. A file, not inline: the CSP forbids those.
try {
  var theme = window.localStorage.getItem('benchtop.theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.setAttribute('data-theme', theme);
} catch {
  // Storage unavailable: the OS theme applies.
}
