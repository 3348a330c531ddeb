/** Reading `--flag value` options of built-in steps: a missing or malformed one is an InputError naming the flag. */
import { InputError } from '../pipelines/qslam/fastq';
import type { OptionValues } from './context';

export function str(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function required(values: OptionValues, name: string): string {
  const v = str(values, name);
  if (v === undefined) throw new InputError(`--${name} is required`);
  return v;
}

export function int(values: OptionValues, name: string, fallback: number): number {
  const v = str(values, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) throw new InputError(`--${name} must be a whole number, not ${JSON.stringify(v)}`);
  return n;
}

export function oneOf<T extends string>(values: OptionValues, name: string, allowed: readonly T[], fallback: T): T {
  const v = str(values, name) ?? fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new InputError(`--${name} must be one of ${allowed.join(', ')}, not ${JSON.stringify(v)}`);
  return v as T;
}
