import { InputError, LINE_LIMITS, LineSource } from '../../pipelines/qslam/fastq';

/**
 * read_id → end_reason from a MinKNOW sequencing summary or a pod5 summary (tab-separated, with
 * `read_id` and `end_reason` columns, in any order). A read id given twice is refused, naming the
 * line. End-reason strings are shared, so a million reads cost one map entry each.
 */
export async function readEndReasons(file: string): Promise<Map<string, string>> {
  const reasons = new Map<string, string>();
  const interned = new Map<string, string>();
  let idCol = -1;
  let reasonCol = -1;
  let lineNo = 0;
  let source: LineSource;
  try {
    source = new LineSource(file, LINE_LIMITS.table, file);
  } catch (err) {
    throw new InputError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    for (let batch = await source.nextBatch(); batch; batch = await source.nextBatch()) {
      for (const line of batch) {
        lineNo += 1;
        if (line === '') continue;
        const cols = line.split('\t');
        if (idCol < 0) {
          idCol = cols.indexOf('read_id');
          reasonCol = cols.indexOf('end_reason');
          if (idCol < 0 || reasonCol < 0) {
            throw new InputError(`${file}: line ${lineNo}: the header needs tab-separated read_id and end_reason columns (found: ${cols.slice(0, 12).join(', ')})`);
          }
          continue;
        }
        const id = cols[idCol];
        const reason = cols[reasonCol];
        if (id === undefined || reason === undefined || id === '') throw new InputError(`${file}: line ${lineNo}: missing read_id or end_reason`);
        if (reasons.has(id)) throw new InputError(`${file}: line ${lineNo}: read ${id} is already listed on an earlier line (duplicate read id)`);
        let shared = interned.get(reason);
        if (shared === undefined) {
          shared = reason;
          interned.set(reason, reason);
        }
        reasons.set(id, shared);
      }
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  } finally {
    source.close();
  }
  if (idCol < 0) throw new InputError(`${file}: empty (no header line)`);
  return reasons;
}
