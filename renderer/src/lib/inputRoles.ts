/** Which input role a file's name suggests: R1/R2 for paired reads (`_R1_001.fastq.gz`, `_1.fq`), else none. */
export function roleFromFileName(path: string): string | null {
  const name = path.split(/[\\/]/).pop() ?? '';
  const m = /(?:^|[._-])(R?)([12])(?:[._-]\d{3})?\.(?:fastq|fq)(?:\.gz)?$/i.exec(name);
  return m ? `R${m[2]}` : null;
}

export interface RoleRow {
  role: string;
  path: string;
}

/**
 * Put dropped paths into the input rows: a path whose name suggests a role goes to that role's row
 * when it is empty, any other to the first row with neither role nor path; else a new row (the
 * suggested role, or INn). Filled rows are never replaced.
 */
export function placeDroppedPaths<T extends RoleRow>(rows: T[], paths: string[], newRow: (role: string, path: string) => T): T[] {
  const out = rows.map((r) => ({ ...r }));
  for (const path of paths) {
    if (out.some((r) => r.path === path)) continue;
    const suggested = roleFromFileName(path);
    const target = suggested ? out.find((r) => r.role === suggested && !r.path.trim()) : out.find((r) => !r.role.trim() && !r.path.trim());
    if (target) {
      target.path = path;
      continue;
    }
    const used = new Set(out.map((r) => r.role));
    let role = suggested && !used.has(suggested) ? suggested : '';
    for (let i = 1; !role; i++) if (!used.has(`IN${i}`)) role = `IN${i}`;
    out.push(newRow(role, path));
  }
  return out;
}
