import type { Migration } from '../migrate';
import seedSchema from './central/0001_seed_schema.sql';
import seedLookups from './central/0002_seed_lookups.sql';
import runsJobsAudit from './central/0003_runs_jobs_audit.sql';
import runInputsParams from './central/0004_run_inputs_params.sql';
import libraryVersions from './central/0005_library_versions.sql';
import experimentDiscovery from './central/0006_experiment_discovery.sql';
import jobStarting from './central/0007_job_starting.sql';
import experimentWarnings from './central/0008_experiment_warnings.sql';
import auditTriggers from './central/0009_audit_triggers.sql';
import reads from './reads/0001_reads.sql';
import readsBrowseIndexes from './reads/0002_browse_indexes.sql';
import readsFilterIndexes from './reads/0003_filter_indexes.sql';

function migration(name: string, sql: string): Migration {
  const prefix = /^\w+\/(\d+)_/.exec(name)?.[1];
  if (prefix === undefined) throw new Error(`Migration ${name} has no number prefix`);
  return { version: Number(prefix), name, sql };
}

export const centralMigrations: readonly Migration[] = [
  migration('central/0001_seed_schema.sql', seedSchema),
  migration('central/0002_seed_lookups.sql', seedLookups),
  migration('central/0003_runs_jobs_audit.sql', runsJobsAudit),
  migration('central/0004_run_inputs_params.sql', runInputsParams),
  migration('central/0005_library_versions.sql', libraryVersions),
  migration('central/0006_experiment_discovery.sql', experimentDiscovery),
  migration('central/0007_job_starting.sql', jobStarting),
  migration('central/0008_experiment_warnings.sql', experimentWarnings),
  migration('central/0009_audit_triggers.sql', auditTriggers),
];

export const readsMigrations: readonly Migration[] = [
  migration('reads/0001_reads.sql', reads),
  migration('reads/0002_browse_indexes.sql', readsBrowseIndexes),
  migration('reads/0003_filter_indexes.sql', readsFilterIndexes),
];
