-- Scoring settings, recompute runs (with the cut points incremental re-scoring reuses), a
-- staging table for bulk writes, and the history of classes and stages. See docs/rfm-lifecycle.md.

create table scoring_settings (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  settings jsonb not null,
  updated_at timestamptz not null,
  updated_by text,
  primary key (workspace_id)
);

create table scoring_runs (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  trigger text not null check (trigger in ('manual', 'schedule', 'settings', 'import', 'first')),
  status text not null default 'queued' check (status in ('queued', 'running', 'completed', 'failed')),
  phase text,
  requested_by text,
  customers integer not null default 0,
  changed integer not null default 0,
  class_changed integer not null default 0,
  -- The local day (days since 1970-01-01) the run scored as of, the settings it used and the
  -- cut points it derived: incremental re-scoring uses those of the last completed run.
  today_day integer,
  settings jsonb,
  cut_points jsonb,
  error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  primary key (workspace_id, id)
);
-- At most one recompute waits or runs per workspace.
create unique index scoring_runs_pending_idx on scoring_runs (workspace_id) where status in ('queued', 'running');
create index scoring_runs_completed_idx on scoring_runs (workspace_id, finished_at desc) where status = 'completed';

-- A full recompute stages the rows it will change here (keyed by run) and applies them
-- set-based in chunks; rows of a finished or abandoned run are deleted. Unlogged: it holds
-- nothing a crash must keep (a retried run stages again).
create unlogged table scoring_staging (
  workspace_id uuid not null,
  run_id uuid not null,
  customer_id bigint not null,
  rfm_recency_days integer,
  rfm_frequency integer,
  rfm_monetary_fen bigint,
  rfm_r smallint,
  rfm_f smallint,
  rfm_m smallint,
  rfm_class text,
  lifecycle_days_stage text,
  lifecycle_stage_stage text not null,
  lifecycle_business_stage text not null,
  lifecycle_stage text,
  value_layer text not null,
  consumption_tier text,
  -- Whether the row is new, its scored_at when read (microseconds since the epoch: the write
  -- applies only if nobody re-scored the customer meanwhile), and whether a class, stage,
  -- layer or tier changed (history and change feed).
  is_new boolean not null,
  prev_scored_us bigint,
  class_changed boolean not null,
  primary key (workspace_id, run_id, customer_id)
);

-- Classes, stages, layer and tier of a customer over time: one row per period in which none
-- of them changed. "At time T" is the row with valid_from <= T < valid_to (or valid_to null).
create table customer_score_history (
  workspace_id uuid not null,
  customer_id bigint not null,
  valid_from timestamptz not null,
  valid_to timestamptz,
  rfm_class text,
  lifecycle_days_stage text,
  lifecycle_stage_stage text not null,
  lifecycle_business_stage text not null,
  value_layer text not null,
  consumption_tier text,
  primary key (workspace_id, customer_id, valid_from),
  foreign key (workspace_id, customer_id) references customers (workspace_id, id)
);

-- What scoring reads of the customers module: profile dates and the per-customer aggregates.
create view scoring_customer_inputs as
select c.workspace_id, c.id as customer_id, c.merged_into, c.name, c.nickname, c.joined_at, c.created_at,
  st.first_order_at, st.last_order_at, st.paid_order_count, st.paid_amount_fen,
  st.orders_30d, st.amount_30d_fen, st.orders_90d, st.amount_90d_fen,
  st.orders_180d, st.amount_180d_fen, st.orders_365d, st.amount_365d_fen,
  st.last_interaction_at, st.interaction_count
from customers c
left join customer_stats st on st.workspace_id = c.workspace_id and st.customer_id = c.id;
