// A job for the benchmark: writes log lines at RATE bytes/s for SECONDS, with a `MARK <epoch ms>`
// line every 50 ms so readers can measure how late they see what was written.
const [rate = '10485760', seconds = '60'] = process.argv.slice(2);
const bytesPerTick = Math.round(Number(rate) / 20);
const filler = `${'x'.repeat(119)}\n`;
const block = filler.repeat(Math.ceil(bytesPerTick / filler.length));
const end = Date.now() + Number(seconds) * 1000;
function tick() {
  if (Date.now() >= end) return;
  // The mark ends the write: a reader that skips ahead to the newest bytes (as the UI tail does) still sees it.
  process.stdout.write(`${block}MARK ${Date.now()}\n`);
  setTimeout(tick, 50);
}
tick();
