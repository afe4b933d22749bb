-- The warehouse as the walking skeleton (commit 04798ee) created it: schema version 1.
-- Frozen: tests upgrade a file made from this to the current schema.
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS documents (
  doc_id VARCHAR,
  department VARCHAR,
  year INTEGER,
  kind VARCHAR,
  status VARCHAR,
  error VARCHAR,
  page_count INTEGER,
  loaded_at TIMESTAMP,
  name VARCHAR,
  source_key VARCHAR,
  version INTEGER,
  is_current BOOLEAN,
  file_count INTEGER,
  warnings VARCHAR,
  run_id VARCHAR,
  PRIMARY KEY (doc_id)
);
CREATE TABLE IF NOT EXISTS files (
  doc_id VARCHAR,
  file_no INTEGER,
  url VARCHAR,
  final_url VARCHAR,
  http_status INTEGER,
  etag VARCHAR,
  last_modified VARCHAR,
  fetched_at TIMESTAMP,
  sha256 VARCHAR,
  size BIGINT,
  path VARCHAR
);
CREATE TABLE IF NOT EXISTS tables (
  doc_id VARCHAR,
  table_no INTEGER,
  table_kind VARCHAR,
  table_title VARCHAR,
  unit VARCHAR,
  first_page INTEGER,
  last_page INTEGER,
  row_count INTEGER,
  empty BOOLEAN
);
CREATE TABLE IF NOT EXISTS line_items (
  doc_id VARCHAR,
  table_kind VARCHAR,
  table_title VARCHAR,
  unit VARCHAR,
  code VARCHAR,
  name VARCHAR,
  column_name VARCHAR,
  amount DECIMAL(24,6),
  decimals INTEGER,
  page INTEGER,
  column_key VARCHAR,
  code_system VARCHAR,
  budget_unit VARCHAR,
  project VARCHAR,
  row_no INTEGER,
  table_no INTEGER
);
CREATE TABLE IF NOT EXISTS claims (
  doc_id VARCHAR,
  claim_id VARCHAR,
  section VARCHAR,
  subject VARCHAR,
  code VARCHAR,
  amount DECIMAL(24,6),
  change_amount DECIMAL(24,6),
  change_pct DECIMAL(24,6),
  share_pct DECIMAL(24,6),
  base VARCHAR,
  reason VARCHAR,
  page INTEGER,
  text VARCHAR,
  scope VARCHAR,
  kind VARCHAR,
  amount_decimals INTEGER,
  change_decimals INTEGER,
  pct_decimals INTEGER,
  share_decimals INTEGER,
  change_word VARCHAR,
  pct_word VARCHAR,
  base_year INTEGER,
  budget_unit VARCHAR
);
CREATE TABLE IF NOT EXISTS claim_parts (
  doc_id VARCHAR,
  claim_id VARCHAR,
  part_no INTEGER,
  name VARCHAR,
  amount DECIMAL(24,6),
  decimals INTEGER
);
CREATE TABLE IF NOT EXISTS facts (
  doc_id VARCHAR,
  fact_no INTEGER,
  kind VARCHAR,
  subject VARCHAR,
  value DECIMAL(24,6),
  change DECIMAL(24,6),
  page INTEGER,
  text VARCHAR
);
CREATE TABLE IF NOT EXISTS sentences (
  doc_id VARCHAR,
  seq INTEGER,
  part VARCHAR,
  section VARCHAR,
  heading VARCHAR,
  scope VARCHAR,
  page INTEGER,
  text VARCHAR
);
CREATE TABLE IF NOT EXISTS findings (
  finding_id VARCHAR,
  department VARCHAR,
  year INTEGER,
  doc_id VARCHAR,
  prior_doc_id VARCHAR,
  rule VARCHAR,
  severity VARCHAR,
  subject VARCHAR,
  code VARCHAR,
  stated VARCHAR,
  expected VARCHAR,
  message VARCHAR,
  page INTEGER,
  evidence VARCHAR,
  table_kind VARCHAR,
  run_id VARCHAR,
  created_at TIMESTAMP,
  PRIMARY KEY (finding_id)
);
CREATE INDEX IF NOT EXISTS line_items_doc ON line_items (doc_id);
CREATE INDEX IF NOT EXISTS claims_doc ON claims (doc_id);
CREATE INDEX IF NOT EXISTS findings_dept_year ON findings (department, year);
INSERT INTO schema_version VALUES (1, 'initial contract', TIMESTAMP '2026-11-20 08:00:00');
