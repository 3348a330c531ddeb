import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { dataXRange, linearTicks, logTicks, plotToSvg } from './plotSvg';

const parse = (svg: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['rect', 'text', 'g', 'path', 'line'].includes(name) }).parse(svg);
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('plotToSvg', () => {
  const histogram = { title: 'Read length (log bins)', kind: 'histogram' as const, xLabel: 'read length (bp)', yLabel: 'reads', logX: true, x: [100, 112, 126, 141], series: [{ name: 'reads', y: [3, 0, 7, 1] }] };

  it('draws one rect per bar, axes with ticks and labels, title and legend, as well-formed XML', () => {
    const svg = plotToSvg(histogram, { width: 600, height: 300, colors: ['#36c'] });
    expect(XMLValidator.validate(svg)).toBe(true);
    const doc = parse(svg);
    const series = (doc.svg.g as { class: string; rect?: { class: string; height: string }[] }[]).filter((g) => g.class === 'series');
    expect(series).toHaveLength(1);
    expect(series[0]!.rect).toHaveLength(4);
    expect(series[0]!.rect!.map((r) => Number(r.height) > 0)).toEqual([true, false, true, true]);
    const words = texts(svg);
    expect(words).toEqual(expect.arrayContaining(['Read length (log bins)', 'read length (bp)', 'reads', '100']));
  });

  it('a pair of series is two groups of bars; more series are one path each', () => {
    const pair = { ...histogram, series: [{ name: 'fast', y: [1, 2, 3, 4] }, { name: 'sup', y: [4, 3, 2, 1] }] };
    const svg = plotToSvg(pair, { width: 600, height: 300, colors: ['#36c', '#c63'] });
    const groups = (parse(svg).svg.g as { class: string; rect?: unknown[] }[]).filter((g) => g.class === 'series');
    expect(groups.map((g) => g.rect?.length)).toEqual([4, 4]);
    expect(texts(svg)).toEqual(expect.arrayContaining(['fast', 'sup']));

    const many = { ...histogram, kind: 'line' as const, series: [...pair.series, { name: 'hac <1>', y: [0, 1, 0, 1] }] };
    const lines = plotToSvg(many, { width: 600, height: 300, colors: ['#36c'] });
    expect(XMLValidator.validate(lines)).toBe(true);
    expect(lines.match(/<path class="series"/g)).toHaveLength(3);
    expect(texts(lines)).toContain('hac &lt;1&gt;');
  });

  it('shows only the zoomed x range', () => {
    const svg = plotToSvg(histogram, { width: 600, height: 300, colors: ['#36c'], xRange: [110, 130] });
    expect(svg.match(/class="bar"/g)).toHaveLength(2);
  });
});

describe('axes', () => {
  it('the data range of log bins starts near the first bin, not at 0 or 1', () => {
    const [lo, hi] = dataXRange({ logX: true, x: [100, 112, 126, 141] });
    expect(lo).toBeGreaterThan(90);
    expect(lo).toBeLessThan(100);
    expect(hi).toBeGreaterThan(141);
    expect(hi).toBeLessThan(160);
    expect(dataXRange({ x: [0, 10, 20] })).toEqual([-5, 25]);
  });

  it('ticks are round', () => {
    expect(linearTicks(0, 105, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(logTicks(90, 1100)).toEqual([100, 200, 500, 1000]);
  });
});
