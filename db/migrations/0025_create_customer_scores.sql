-- Each customer's current RFM scores and class, lifecycle stages under the three models,
-- value layer and consumption tier. Written by the scoring module (full recompute and
-- incremental re-scoring); read by other modules through customer_score_facts.
-- See docs/rfm-lifecycle.md.

create table customer_scores (
  workspace_id uuid not null,
  customer_id bigint not null,
  -- Days from the local date of the last order to the local date of scored_at (workspace
  -- time zone). A recompute leaves a row alone when only time passed and no score, class or
  -- stage moved, so the current recency is rfm_recency_days plus the days since scored_at
  -- (customer_score_facts.current_recency_days computes it).
  rfm_recency_days integer check (rfm_recency_days >= 0),
  -- Orders and net amount (paid minus refunded) in the workspace's RFM window.
  rfm_frequency integer check (rfm_frequency >= 0),
  rfm_monetary_fen bigint check (rfm_monetary_fen >= 0),
  rfm_r smallint check (rfm_r between 1 and 5),
  rfm_f smallint check (rfm_f between 1 and 5),
  rfm_m smallint check (rfm_m between 1 and 5),
  -- Null for customers without orders.
  rfm_class text check (rfm_class in (
    'important_value', 'important_develop', 'important_keep', 'important_retain',
    'general_value', 'general_develop', 'general_keep', 'general_retain')),
  -- Null while the customer has not joined the private domain (customers.joined_at is null).
  lifecycle_days_stage text check (lifecycle_days_stage in ('silent', 'growth', 'active', 'decline')),
  lifecycle_stage_stage text not null check (lifecycle_stage_stage in ('reached', 'converted', 'active', 'silent', 'churned')),
  lifecycle_business_stage text not null check (lifecycle_business_stage in ('new', 'first_purchase', 'repeat', 'vip')),
  -- The stage under the workspace's primary model (one of the three columns above).
  lifecycle_stage text,
  value_layer text not null check (value_layer in ('vip', 'normal', 'potential')),
  -- Null for customers without orders.
  consumption_tier text check (consumption_tier in ('high', 'medium', 'basic')),
  scored_at timestamptz not null,
  primary key (workspace_id, customer_id),
  foreign key (workspace_id, customer_id) references customers (workspace_id, id)
) with (fillfactor = 90);

-- Segment conditions and click-throughs page through one class or stage by customer id.
create index customer_scores_rfm_class_idx on customer_scores (workspace_id, rfm_class, customer_id);
create index customer_scores_lifecycle_idx on customer_scores (workspace_id, lifecycle_stage, customer_id);
create index customer_scores_value_layer_idx on customer_scores (workspace_id, value_layer, customer_id);
create index customer_scores_tier_idx on customer_scores (workspace_id, consumption_tier, customer_id);

-- What other modules read: the stored scores, with the recency brought up to today.
create view customer_score_facts as
select s.workspace_id, s.customer_id, s.rfm_recency_days,
  s.rfm_recency_days + ((now() at time zone w.time_zone)::date - (s.scored_at at time zone w.time_zone)::date) as current_recency_days,
  s.rfm_frequency, s.rfm_monetary_fen, s.rfm_r, s.rfm_f, s.rfm_m, s.rfm_class,
  s.lifecycle_days_stage, s.lifecycle_stage_stage, s.lifecycle_business_stage, s.lifecycle_stage,
  s.value_layer, s.consumption_tier, s.scored_at
from customer_scores s
join workspaces w on w.id = s.workspace_id;
