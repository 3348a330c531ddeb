import { describe, expect, it } from 'vitest';
import { LogWindow, MAX_LOG_LINES } from './logWindow';

describe('LogWindow', () => {
  it('leaves out ##progress lines, also one still being written', () => {
    const w = new LogWindow();
    w.accept({ jobId: 1, offset: 0, text: 'reading\n##progress 10 30 reads\n##prog' });
    expect(w.text()).toBe('reading');
    expect(w.lineCount()).toBe(1);
    w.accept({ jobId: 1, offset: 37, text: 'ress 30 30 reads\r\ndone\n#' });
    expect(w.text()).toBe('reading\ndone');
    w.accept({ jobId: 1, offset: 61, text: ' a comment\n' });
    expect(w.text()).toBe('reading\ndone\n# a comment');
    expect(w.next).toBe(72);
  });

  it('joins chunks into lines, keeping the unfinished last one', () => {
    const w = new LogWindow();
    expect(w.accept({ jobId: 1, offset: 0, text: 'one\ntw' })).toBe('ok');
    expect(w.accept({ jobId: 1, offset: 6, text: 'o\nthree' })).toBe('ok');
    expect(w.text()).toBe('one\ntwo\nthree');
    expect(w.lineCount()).toBe(3);
    expect(w.next).toBe(13);
  });

  it('skips chunks it already has, trims overlaps by bytes, and reports gaps', () => {
    const w = new LogWindow();
    w.accept({ jobId: 1, offset: 0, text: 'é\nab\n' }); // é is 2 bytes: 6 bytes in all
    expect(w.next).toBe(6);
    expect(w.accept({ jobId: 1, offset: 0, text: 'é\n' })).toBe('ok');
    expect(w.accept({ jobId: 1, offset: 3, text: 'ab\ncd\n' })).toBe('ok');
    expect(w.text()).toBe('é\nab\ncd\n'.replace(/\n$/, ''));
    expect(w.accept({ jobId: 1, offset: 100, text: 'later' })).toBe('gap');
    expect(w.next).toBe(9);
  });

  it('keeps at most MAX_LOG_LINES lines and counts the dropped ones', () => {
    const w = new LogWindow();
    const text = Array.from({ length: MAX_LOG_LINES + 250 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    w.append(text);
    expect(w.lines.length).toBe(MAX_LOG_LINES);
    expect(w.dropped).toBe(250);
    expect(w.lines[0]).toBe('line 251');
  });

  it('jumps ahead when the log outran the view, saying how much it skipped', () => {
    const w = new LogWindow();
    w.accept({ jobId: 1, offset: 0, text: 'first\nunfini' });
    w.skipTo(12 + 3 * 1024 * 1024);
    expect(w.accept({ jobId: 1, offset: 12 + 3 * 1024 * 1024, text: 'late\n' })).toBe('ok');
    expect(w.lines).toEqual(['first', 'unfini', expect.stringMatching(/^\[… 3\.0 MB not shown/), 'late']);
    w.skipTo(5);
    expect(w.next).toBe(12 + 3 * 1024 * 1024 + 5);
  });
});
