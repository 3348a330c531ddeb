import { describe, expect, it } from 'vitest';
import { placeDroppedPaths, roleFromFileName } from './inputRoles';

const row = (role: string, path = '') => ({ role, path });

describe('input roles from dropped files', () => {
  it('reads R1/R2 out of the usual FASTQ names', () => {
    expect(roleFromFileName('/data/S1_L001_R1_001.fastq.gz')).toBe('R1');
    expect(roleFromFileName('/data/S1_R2.fq')).toBe('R2');
    expect(roleFromFileName('/data/sample_2.fastq.gz')).toBe('R2');
    expect(roleFromFileName('/data/genome.fa')).toBeNull();
    expect(roleFromFileName('/data/R1notes.txt')).toBeNull();
  });

  it('fills the rows of the suggested roles, whatever the drop order', () => {
    const rows = placeDroppedPaths([row('R1'), row('R2')], ['/d/x_R2.fastq.gz', '/d/x_R1.fastq.gz'], row);
    expect(rows).toEqual([row('R1', '/d/x_R1.fastq.gz'), row('R2', '/d/x_R2.fastq.gz')]);
  });

  it('adds rows for more files, never replaces a filled one, ignores a path already there', () => {
    const rows = placeDroppedPaths([row('R1', '/d/a_R1.fq'), row('R2')], ['/d/a_R1.fq', '/d/b_R1.fq', '/d/genes.bed'], row);
    expect(rows).toEqual([row('R1', '/d/a_R1.fq'), row('R2'), row('IN1', '/d/b_R1.fq'), row('IN2', '/d/genes.bed')]);
    expect(placeDroppedPaths([row('')], ['/d/genes.bed'], row)).toEqual([row('', '/d/genes.bed')]);
  });
});
