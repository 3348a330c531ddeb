// `npm start` (after the build): open Benchtop's desktop window with the local Electron binary,
// passing the arguments through (`npm start -- --workspace DIR`) and returning its exit code.
// Where the binary is not installed (these machines cannot download it), serve the same app to the
// browser instead (`benchtop serve` with the same arguments), open it in the system's browser when
// there is a display, and keep serving until Ctrl-C.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { locateElectronBinary, PROJECT_ROOT } from './electron-binary.mjs';

const SERVING = /^Benchtop is serving (\S+)/m;

/** The command that opens an address in the system's browser, or null where no window can open. */
function browserOpener(env = process.env, platform = process.platform) {
  if (platform === 'darwin') return 'open';
  if (platform === 'win32') return null;
  return env.DISPLAY || env.WAYLAND_DISPLAY ? 'xdg-open' : null;
}

/** Opening the browser is a convenience: the address is printed either way, so any failure is ignored. */
function openInBrowser(url) {
  const opener = browserOpener();
  if (!opener) return;
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => {});
  child.unref();
}

function openDesktopWindow(binary, args) {
  const env = { ...process.env };
  // Set, it would make Electron a plain Node and the window would never open.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, [PROJECT_ROOT, ...args], { stdio: 'inherit', env, windowsHide: false });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => forward(signal));
  child.on('error', (err) => {
    process.stderr.write(`Benchtop's desktop window could not be started (${binary}: ${err.message}).\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exit(code ?? (signal ? 1 : 0));
  });
}

function serveForBrowser(args) {
  process.stderr.write(
    "Benchtop's desktop window needs the Electron binary, which is not installed on this machine; " +
      'Benchtop opens in your browser instead.\n',
  );
  // Its own process group, so that Ctrl-C reaches serve once (forwarded below), not twice: serve
  // stops cleanly on the first signal and would die of the second.
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'benchtop.js'), 'serve', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stderr.pipe(process.stderr);
  let printed = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (printed === null) return;
    printed += chunk.toString();
    const serving = SERVING.exec(printed);
    if (serving) {
      printed = null;
      openInBrowser(serving[1]);
    }
  });
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, stop);
  process.on('exit', stop);
  child.on('error', (err) => {
    process.stderr.write(`Benchtop could not be served (${err.message}).\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}

const args = process.argv.slice(2);
const { path: binary } = locateElectronBinary();
if (binary) openDesktopWindow(binary, args);
else serveForBrowser(args);
