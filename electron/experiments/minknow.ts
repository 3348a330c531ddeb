/**
 * What a MinKNOW run folder tells about itself: final_summary_*.txt (key=value), else
 * report_*.json, else the folder's name `{start}_{device}_{flow_cell}_{short_id}`.
 */

export interface RunMetadata {
  instrument: string | null;
  flowCellId: string | null;
  sampleId: string | null;
  protocol: string | null;
  flowCellProduct: string | null;
  sequencingKit: string | null;
  started: string | null;
  protocolRunId: string | null;
  /** pod5_files_in_final_dest (+ _in_fallback) of final_summary. */
  pod5Expected: number | null;
}

export const EMPTY_METADATA: RunMetadata = {
  instrument: null,
  flowCellId: null,
  sampleId: null,
  protocol: null,
  flowCellProduct: null,
  sequencingKit: null,
  started: null,
  protocolRunId: null,
  pod5Expected: null,
};

/** `key=value` lines; blank lines and lines without "=" are skipped, the last of a repeated key wins. */
export function parseKeyValues(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const eq = raw.indexOf('=');
    if (eq <= 0) continue;
    map.set(raw.slice(0, eq).trim(), raw.slice(eq + 1).trim());
  }
  return map;
}

const FLOW_CELL_PRODUCT = /^FLO-[A-Z0-9]+$/;
const KIT = /^SQK-[A-Z0-9.]+$/;

/**
 * `sequencing/sequencing_PRO114_DNA_e8_2_400K:FLO-PRO114M:SQK-LSK114:400` → the flow cell product
 * and the kit, wherever they sit among the colon-separated parts.
 */
export function parseProtocol(protocol: string): { flowCellProduct: string | null; sequencingKit: string | null } {
  const parts = protocol.split(':').map((p) => p.trim());
  return {
    flowCellProduct: parts.find((p) => FLOW_CELL_PRODUCT.test(p)) ?? null,
    sequencingKit: parts.find((p) => KIT.test(p)) ?? null,
  };
}

function nonEmpty(v: string | undefined): string | null {
  return v === undefined || v === '' ? null : v;
}

function count(v: string | undefined): number | null {
  if (v === undefined || !/^\d+$/.test(v)) return null;
  return Number(v);
}

/** final_summary's values as they are written (runFileChecks.readFinalSummary checks them first). */
export function metadataFromFinalSummary(text: string): RunMetadata {
  return metadataFromKeyValues(parseKeyValues(text));
}

export function metadataFromKeyValues(kv: ReadonlyMap<string, string>): RunMetadata {
  const protocol = nonEmpty(kv.get('protocol'));
  const inDest = count(kv.get('pod5_files_in_final_dest'));
  const inFallback = count(kv.get('pod5_files_in_fallback'));
  return {
    instrument: nonEmpty(kv.get('instrument')),
    flowCellId: nonEmpty(kv.get('flow_cell_id')),
    sampleId: nonEmpty(kv.get('sample_id')),
    protocol,
    ...(protocol ? parseProtocol(protocol) : { flowCellProduct: null, sequencingKit: null }),
    started: nonEmpty(kv.get('started')),
    protocolRunId: nonEmpty(kv.get('protocol_run_id')),
    pod5Expected: inDest === null && inFallback === null ? null : (inDest ?? 0) + (inFallback ?? 0),
  };
}

type Json = Record<string, unknown>;

function obj(v: unknown): Json | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
}

/** Reports write some values bare and some as `{ "value": … }` or `{ "string_value": … }`. */
function text(v: unknown): string | null {
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number') return String(v);
  const o = obj(v);
  if (o) return text(o.value ?? o.string_value);
  return null;
}

/** report_*.json: protocol_run_info (device, flow cell, user info, start time, protocol id, run id). */
export function metadataFromReport(json: unknown): RunMetadata {
  const info = obj(obj(json)?.protocol_run_info);
  if (!info) return EMPTY_METADATA;
  const device = obj(info.device);
  const flowCell = obj(info.flow_cell);
  const user = obj(info.user_info);
  const tags = obj(obj(info.meta_info)?.tags);
  const protocol = text(info.protocol_id);
  const fromProtocol = protocol ? parseProtocol(protocol) : { flowCellProduct: null, sequencingKit: null };
  return {
    instrument: text(device?.device_id),
    flowCellId: text(flowCell?.flow_cell_id),
    sampleId: text(user?.sample_id),
    protocol,
    flowCellProduct: text(flowCell?.product_code) ?? fromProtocol.flowCellProduct,
    sequencingKit: text(tags?.kit) ?? fromProtocol.sequencingKit,
    started: text(info.start_time),
    protocolRunId: text(info.run_id),
    pod5Expected: null,
  };
}

/** `20240115_1423_P2S-01234-A_PAW12345_a1b2c3d4`: start, device, flow cell, short protocol run id. */
const FOLDER_RE = /^(\d{8})_(\d{4})_([A-Za-z0-9-]+)_([A-Za-z0-9]+)_([0-9a-f]{8})$/;

export function parseRunFolderName(name: string): { started: string; instrument: string; flowCellId: string; shortId: string } | null {
  const m = FOLDER_RE.exec(name);
  if (!m) return null;
  const [, day = '', hm = '', instrument = '', flowCellId = '', shortId = ''] = m;
  const started = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}T${hm.slice(0, 2)}:${hm.slice(2, 4)}`;
  return { started, instrument, flowCellId, shortId };
}

export function metadataFromFolderName(name: string): RunMetadata {
  const parsed = parseRunFolderName(name);
  if (!parsed) return EMPTY_METADATA;
  return { ...EMPTY_METADATA, started: parsed.started, instrument: parsed.instrument, flowCellId: parsed.flowCellId };
}

/** The first source's value for each field, falling back to the next. */
export function mergeMetadata(...sources: RunMetadata[]): RunMetadata {
  const out: RunMetadata = { ...EMPTY_METADATA };
  for (const key of Object.keys(out) as (keyof RunMetadata)[]) {
    for (const s of sources) {
      if (s[key] !== null) {
        (out as unknown as Record<string, unknown>)[key] = s[key];
        break;
      }
    }
  }
  return out;
}

/** A folder name made into an exp_id: safe in file names ([A-Za-z0-9._-]), at most 128 characters. */
export function safeExpId(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[^A-Za-z0-9]+/, '').slice(0, 128);
  return cleaned === '' ? 'experiment' : cleaned;
}
