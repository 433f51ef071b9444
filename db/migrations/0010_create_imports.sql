-- CSV imports (orders and customers from platform exports): one row per import with its
-- file hash (idempotency: the same file and mapping imported again changes nothing), the
-- mapping, status and progress; the uploaded files until the import has run; and every
-- rejected row for the downloadable error report. See docs/import.md.

create table imports (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  kind text not null check (kind in ('orders', 'customers')),
  origin text not null check (origin in ('cli', 'console', 'api')),
  status text not null check (status in ('uploaded', 'queued', 'running', 'completed', 'rejected', 'failed', 'duplicate')),
  file_name text not null,
  file_count integer not null default 1,
  file_bytes bigint not null default 0,
  -- SHA-256 of the content (a directory: of its files' hashes in name order).
  file_hash text not null,
  -- A preset name, or null for a mapping given as JSON; the mapping as validated.
  mapping_name text,
  mapping jsonb,
  mapping_hash text,
  params jsonb not null default '{}'::jsonb,
  encoding text not null default 'auto' check (encoding in ('auto', 'utf8', 'gbk', 'gb18030')),
  skip_bad_rows boolean not null default false,
  -- Run even when the same file and mapping were imported before (only differences apply).
  force boolean not null default false,
  rows_total integer,
  -- Rows of the orders written so far; with orders_done the point a retried run resumes from.
  rows_done integer not null default 0,
  orders_total integer,
  orders_done integer not null default 0,
  -- rows, skipped, rejected, orders created/updated/unchanged, customers created, merged...
  summary jsonb not null default '{}'::jsonb,
  error_count integer not null default 0,
  message text,
  duplicate_of uuid,
  attempts integer not null default 0,
  created_by_type text not null,
  created_by text,
  created_by_label text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create index imports_recent_idx on imports (workspace_id, id desc);
create index imports_done_hash_idx on imports (workspace_id, file_hash) where status = 'completed';

-- Uploaded files, kept in the database so any worker process can run the import; the
-- content is dropped once the import has completed.
create table import_files (
  workspace_id uuid not null,
  import_id uuid not null,
  seq integer not null,
  name text not null,
  bytes integer not null,
  content bytea,
  primary key (workspace_id, import_id, seq),
  foreign key (workspace_id, import_id) references imports (workspace_id, id) on delete cascade
);

create table import_errors (
  workspace_id uuid not null,
  import_id uuid not null,
  seq integer not null,
  file text not null,
  line integer not null,
  column_name text,
  value text,
  reason text not null,
  message text not null,
  primary key (workspace_id, import_id, seq),
  foreign key (workspace_id, import_id) references imports (workspace_id, id) on delete cascade
);
