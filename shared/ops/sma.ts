import { PendingSmaList, SmaIngestRequest, SmaIngestStarted } from '../schemas/sma';
import { Empty, op } from './define';

export const smaOps = {
  'sma.ingest': op(
    "SMA-seq ingest of a basecall run as a job: a 'nanopore' analysis run with the BAM, references and summary linked in, running the sma_ingest step",
    SmaIngestRequest,
    SmaIngestStarted,
  ),
  'sma.pending': op('Basecall runs ready for SMA analysis (complete, no SMA database yet), oldest first', Empty, PendingSmaList),
} as const;
