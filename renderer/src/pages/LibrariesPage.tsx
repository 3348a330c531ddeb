import { useEffect, useState } from 'react';
import type { LookupRow, LookupTable, LookupTableInfo } from '../../../shared/schemas/lookups';
import { Card } from '../components/Card';
import { DataTable, type Column } from '../components/DataTable';
import { KeyValues, Placeholder } from '../components/KeyValues';
import { EmptyState, ErrorNotice } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { formatCount, plural } from '../lib/labels';
import { href } from '../lib/router';
import { rowsOf, useInventoryStore } from '../stores/inventoryStore';
import { useLookupsStore } from '../stores/lookupsStore';

/** The library specification tables of seed 000, as the library forms will fill them. */
const LIBRARY_TABLES: { table: string; label: string }[] = [
  { table: 'library_specs', label: 'Library specifications' },
  { table: 'lib_constructs', label: 'Constructs' },
  { table: 'lib_fragments', label: 'Fragments' },
  { table: 'lib_modifications', label: 'Modifications' },
  { table: 'lib_barcodes', label: 'Barcodes' },
  { table: 'lib_sample_prep', label: 'Sample preparations' },
  { table: 'lib_qc_thresholds', label: 'QC thresholds' },
  { table: 'lib_custom_fields', label: 'Custom fields' },
  { table: 'lib_experiment_link', label: 'Links to experiments' },
];

function LookupRows({ info }: { info: LookupTableInfo }) {
  const rows = useLookupsStore((s) => s.rows[info.table]);
  const error = useLookupsStore((s) => s.rowsError[info.table]);
  const loadRows = useLookupsStore((s) => s.loadRows);

  useEffect(() => {
    if (rows === undefined) void loadRows(info.table);
  }, [info.table, rows, loadRows]);

  if (error) return <ErrorNotice error={error} />;
  if (rows === undefined) return <EmptyState>Loading {info.label.toLowerCase()}…</EmptyState>;
  if (rows.length === 0) return <EmptyState>{info.label} has no rows yet. Add one in Settings.</EmptyState>;
  const columns: Column<LookupRow>[] = info.columns.map((c) => ({
    key: c.name,
    header: c.name,
    numeric: c.type !== 'TEXT',
    mono: c.primaryKey,
    wrap: /description|notes|comment/i.test(c.name),
  }));
  const pk = info.columns.find((c) => c.primaryKey)?.name ?? info.columns[0]?.name ?? '';
  return (
    <DataTable
      columns={columns}
      rows={rows}
      rowKey={(r, i) => `${String(r[pk])}:${i}`}
      caption={`${info.label} (${info.table})`}
      testId={`lookup-rows-${info.table}`}
    />
  );
}

export function LibrariesPage() {
  const tables = useLookupsStore((s) => s.tables);
  const tablesError = useLookupsStore((s) => s.tablesError);
  const loadTables = useLookupsStore((s) => s.loadTables);
  const inventory = useInventoryStore((s) => s.inventory);
  const inventoryError = useInventoryStore((s) => s.error);
  const loadInventory = useInventoryStore((s) => s.load);
  const [selected, setSelected] = useState<LookupTable>('lk_pore_types');

  useEffect(() => {
    void loadTables();
    void loadInventory();
  }, [loadTables, loadInventory]);

  const specs = rowsOf(inventory, 'library_specs');
  const selectedInfo = tables?.find((t) => t.table === selected);

  return (
    <>
      <PageHeader
        title="Libraries"
        description="The design of each sequencing library — its constructs, fragments, modifications, barcodes, sample preparation and QC thresholds — will be written and kept here, linked to the experiments it was sequenced in."
      />
      <div className="grid">
        <Card title="In this workspace" span={3}>
          {inventoryError ? <ErrorNotice error={inventoryError} compact /> : null}
          <p className="lead" data-testid="library-count">
            {specs === null ? <Placeholder /> : `${plural(specs, 'library specification')} in this workspace.`}
          </p>
          <p className="muted">The library forms are not built yet. The tables they will fill are ready in the central database:</p>
          <div className="spacer" />
          <KeyValues
            columns
            items={LIBRARY_TABLES.map(({ table, label }) => {
              const n = rowsOf(inventory, table);
              return { label, value: n === null ? null : plural(n, 'row'), testId: `library-table-${table}` };
            })}
          />
        </Card>

        <Card
          title="Lookup tables"
          span={3}
          actions={
            <a className="link small" href={href('settings')}>
              Add a row in Settings
            </a>
          }
        >
          <p className="muted card-intro">
            The controlled vocabularies (seed 000) the library and experiment forms will offer: pore types, flow cells, kits, basecall models and more. Choose a table to see its rows.
          </p>
          {tablesError ? <ErrorNotice error={tablesError} /> : null}
          <div className="picker-and-rows">
            <ul className="table-picker" aria-label="Lookup tables">
              {(tables ?? []).map((t) => (
                <li key={t.table}>
                  <button
                    type="button"
                    className="picker-item"
                    aria-pressed={t.table === selected}
                    onClick={() => setSelected(t.table)}
                    data-testid={`lookup-table-${t.table}`}
                  >
                    <span className="picker-label">{t.label}</span>
                    <span className="picker-count tabular">{formatCount(t.rows)}</span>
                  </button>
                </li>
              ))}
              {tables === null && !tablesError ? <li className="muted small">Loading…</li> : null}
            </ul>
            <div>
              {selectedInfo ? (
                <>
                  <h3 className="subheading">
                    {selectedInfo.label} <span className="muted mono small">{selectedInfo.table}</span>
                    <span className="muted small tabular"> · {plural(selectedInfo.rows, 'row')}</span>
                  </h3>
                  <LookupRows info={selectedInfo} />
                </>
              ) : null}
            </div>
          </div>
        </Card>
      </div>
    </>
  );
}
