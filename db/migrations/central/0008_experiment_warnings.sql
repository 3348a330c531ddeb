-- What discovery found wrong in a MinKNOW run's own files: a final_summary that is binary or lacks
-- the keys MinKNOW always writes, or a value that cannot be right (a flow cell id with path
-- characters, a start that is not a date), which was then not stored. One row per warning; each
-- scan of the run's folder replaces its experiment's rows.
CREATE TABLE experiment_warnings (
    id          INTEGER PRIMARY KEY,
    exp_id      TEXT NOT NULL REFERENCES experiments(exp_id) ON DELETE CASCADE ON UPDATE CASCADE,
    source_file TEXT NOT NULL,
    message     TEXT NOT NULL
);
CREATE INDEX idx_experiment_warnings_exp_id ON experiment_warnings(exp_id);
