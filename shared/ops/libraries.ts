import { z } from 'zod';
import { ChildTable, LibId, LibRow, LibraryDetail, LibrarySummary } from '../schemas/libraries';
import { Empty, op } from './define';

const ById = z.object({ libId: LibId }).strict();
const RowId = z.string().min(1).max(128);
const FilePath = z.string().min(1).max(4096);

export const ExperimentChoice = z.object({
  exp_id: z.string(),
  sample_id: z.string().nullable(),
  flow_cell_id: z.string().nullable(),
  started: z.string().nullable(),
});

export const librariesOps = {
  'libraries.list': op('Library specs with version, status, read-only flag and counts', Empty, z.array(LibrarySummary)),
  'libraries.get': op('One library spec with every child row, its versions and linked experiments', ById, LibraryDetail),
  'libraries.create': op('A new library spec (status draft, the seed\'s default QC thresholds)', z.object({ spec: LibRow }).strict(), LibraryDetail),
  'libraries.update': op('Edit the fields of a spec (not its id, version or status); refused on an older version', z.object({ libId: LibId, changes: LibRow }).strict(), LibraryDetail),
  'libraries.delete': op('Delete a spec and its rows (refused when a newer version exists or experiments are linked)', ById, z.object({ libId: z.string() })),
  'libraries.setStatus': op('Change status: draft → active → archived/deprecated (never back to draft)', z.object({ libId: LibId, status: z.string().min(1).max(64) }).strict(), LibraryDetail),
  'libraries.newVersion': op('Copy a spec and all its rows to the next version (1.0 → 1.1, or 2.0 with major); the old one becomes read-only', z.object({ libId: LibId, major: z.boolean().optional() }).strict(), LibraryDetail),
  'libraries.addRow': op('Add a construct, fragment, modification, barcode, sample preparation or custom field', z.object({ libId: LibId, table: ChildTable, row: LibRow }).strict(), z.object({ id: z.string(), library: LibraryDetail })),
  'libraries.editRow': op('Edit a row of a spec (QC thresholds: the id is the lib_id)', z.object({ libId: LibId, table: ChildTable, id: RowId, changes: LibRow }).strict(), LibraryDetail),
  'libraries.deleteRow': op('Delete a row of a spec (a construct with its fragments and their modifications)', z.object({ libId: LibId, table: ChildTable, id: RowId }).strict(), LibraryDetail),
  'libraries.importConstructs': op(
    'One construct per record of a FASTA, GenBank or SnapGene file: sequence, length, GC, annotations',
    z.object({ libId: LibId, path: FilePath, constructType: z.string().max(64).optional() }).strict(),
    z.object({ ids: z.array(z.string()), library: LibraryDetail }),
  ),
  'libraries.experiments': op('The experiments a spec can be linked to', Empty, z.array(ExperimentChoice)),
  'libraries.link': op(
    'Link a spec to an experiment (relationship, run purpose, notes); linking again updates the link',
    z.object({ libId: LibId, expId: z.string().min(1).max(256), link: LibRow }).strict(),
    LibraryDetail,
  ),
  'libraries.unlink': op('Remove the link between a spec and an experiment', z.object({ libId: LibId, expId: z.string().min(1).max(256) }).strict(), LibraryDetail),
  'libraries.export': op(
    'A whole spec as YAML or JSON text; with path, also written to that file (never over an existing one)',
    z.object({ libId: LibId, format: z.enum(['yaml', 'json']).default('yaml'), path: FilePath.optional() }).strict(),
    z.object({ text: z.string(), path: z.string().nullable() }),
  ),
  'libraries.import': op(
    'A whole spec from a YAML or JSON file, in one transaction; ids are kept (an id already in the workspace is refused)',
    z.object({ path: FilePath }).strict(),
    LibraryDetail,
  ),
} as const;
