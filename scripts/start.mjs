// `npm start` (after the build): open Benchtop's desktop window with the local Electron binary,
// passing the arguments through (`npm start -- --workspace DIR`) and returning its exit code.
// Where the binary is not installed (these machines cannot download it), say so in one sentence.
import { spawn } from 'node:child_process';
import { locateElectronBinary, PROJECT_ROOT } from './electron-binary.mjs';

const MISSING =
  "Benchtop's desktop window needs the Electron binary, which is not installed on this machine " +
  '(it could not be downloaded); run `npm run serve` to use Benchtop in your browser instead.';

const { path: binary } = locateElectronBinary();
if (!binary) {
  process.stderr.write(`${MISSING}\n`);
  process.exit(1);
}

const env = { ...process.env };
// Set, it would make Electron a plain Node and the window would never open.
delete env.ELECTRON_RUN_AS_NODE;

const child = spawn(binary, [PROJECT_ROOT, ...process.argv.slice(2)], { stdio: 'inherit', env, windowsHide: false });

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
