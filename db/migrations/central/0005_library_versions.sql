-- Issue 4: library spec versions. A new version is a copy of a spec with the next lib_version;
-- it points at the spec it replaces, and a spec that another one points at is read-only.

ALTER TABLE library_specs ADD COLUMN previous_lib_id TEXT REFERENCES library_specs(lib_id);

-- One successor per spec: versions form a line, never a tree.
CREATE UNIQUE INDEX idx_library_specs_previous ON library_specs(previous_lib_id) WHERE previous_lib_id IS NOT NULL;
CREATE INDEX idx_lib_barcodes_lib_id ON lib_barcodes(lib_id);
CREATE INDEX idx_lib_modifications_fragment_id ON lib_modifications(fragment_id);
