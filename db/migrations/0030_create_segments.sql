-- Segments: saved rules, their live membership and its history, and the narrow per-customer
-- facts table previews and evaluations scan. See docs/segments.md.

create table segments (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  name text not null check (length(name) between 1 and 100),
  description text check (length(description) <= 1000),
  rule jsonb not null,
  -- active: membership kept current; paused: frozen until resumed (then fully re-evaluated).
  status text not null default 'active' check (status in ('active', 'paused')),
  -- The rule can change its result as time passes with no new data: re-evaluated after every
  -- local midnight (and its membership is as of evaluated_at).
  is_time_relative boolean not null default false,
  member_count integer not null default 0,
  -- The last entry or exit.
  last_change_at timestamptz,
  -- The last full evaluation, and the workspace-local day it was made for.
  evaluated_at timestamptz,
  evaluated_for_date date,
  created_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, name)
);

-- Current members: derived state, rebuilt by `siyu segments rebuild`.
create table segment_members (
  workspace_id uuid not null,
  segment_id uuid not null,
  customer_id bigint not null,
  entered_at timestamptz not null,
  primary key (workspace_id, segment_id, customer_id),
  foreign key (workspace_id, segment_id) references segments (workspace_id, id) on delete cascade
);
create index segment_members_customer_idx on segment_members (workspace_id, customer_id);

-- Every entry and exit with its time; journeys react to them (topic segments.membership_changed).
create table segment_membership_history (
  workspace_id uuid not null,
  id bigint generated always as identity,
  segment_id uuid not null,
  customer_id bigint not null,
  change text not null check (change in ('entered', 'exited')),
  at timestamptz not null,
  -- What made the evaluation run: change (customers.changed), schedule (a time boundary),
  -- reconcile (facts that drifted), rule (segment created, edited or resumed), rebuild.
  cause text not null,
  primary key (workspace_id, id),
  foreign key (workspace_id, segment_id) references segments (workspace_id, id) on delete cascade
);
create index segment_history_segment_idx on segment_membership_history (workspace_id, segment_id, id desc);
create index segment_history_customer_idx on segment_membership_history (workspace_id, customer_id, id desc);

-- Read-only views over other modules' rows (modules read each other's data only through views).
create view segment_customer_rows as
select c.workspace_id, c.id, c.name, c.nickname, c.mobile, c.gender, c.city, c.consent_status, c.source_channel,
  c.owner_user_id, c.joined_at, c.created_at, s.paid_order_count, s.paid_amount_fen, s.last_interaction_at
from customers c
left join customer_stats s on s.workspace_id = c.workspace_id and s.customer_id = c.id
where c.merged_into is null;

create view segment_attribute_facts as
select workspace_id, id as customer_id, attributes from customers where merged_into is null;

create view segment_identity_facts as
select workspace_id, customer_id, type, scope from customer_identities;

create view segment_event_facts as
select workspace_id, id, customer_id, type, occurred_at, properties from events;

-- Purchased lines: paid orders that were not cancelled, lines not fully refunded.
create view segment_purchase_facts as
select o.workspace_id, o.customer_id, o.paid_at, i.product_id, i.category, i.sku
from orders o
join order_items i on i.workspace_id = o.workspace_id and i.order_id = o.id
where o.paid_at is not null and o.status not in ('pending', 'cancelled') and i.refunded_quantity < i.quantity;

create view segment_attribute_definitions as
select workspace_id, key, type, options from attribute_definitions;

create view segment_identity_types as
select workspace_id, key from identity_types;

create view segment_workspace_zones as
select id as workspace_id, time_zone from workspaces;

-- One row per active customer with every column a condition tests, as the sources say now.
create view segment_customer_source as
select c.workspace_id, c.id as customer_id, c.gender, c.birthday, c.province, c.city, c.consent_status,
  c.source_channel, c.source_lure, c.owner_user_id, c.joined_at, c.created_at,
  s.first_order_at, s.last_order_at,
  coalesce(s.paid_order_count, 0) as paid_order_count, coalesce(s.paid_amount_fen, 0)::bigint as paid_amount_fen,
  coalesce(s.refunded_amount_fen, 0)::bigint as refunded_amount_fen,
  coalesce(s.orders_30d, 0) as orders_30d, coalesce(s.amount_30d_fen, 0)::bigint as amount_30d_fen,
  coalesce(s.orders_90d, 0) as orders_90d, coalesce(s.amount_90d_fen, 0)::bigint as amount_90d_fen,
  coalesce(s.orders_180d, 0) as orders_180d, coalesce(s.amount_180d_fen, 0)::bigint as amount_180d_fen,
  coalesce(s.orders_365d, 0) as orders_365d, coalesce(s.amount_365d_fen, 0)::bigint as amount_365d_fen,
  s.first_interaction_at, s.last_interaction_at,
  k.rfm_r, k.rfm_f, k.rfm_m, k.rfm_class, k.lifecycle_stage, k.lifecycle_days_stage, k.lifecycle_stage_stage,
  k.lifecycle_business_stage, k.value_layer, k.consumption_tier
from customers c
left join customer_stats s on s.workspace_id = c.workspace_id and s.customer_id = c.id
left join customer_score_facts k on k.workspace_id = c.workspace_id and k.customer_id = c.id
where c.merged_into is null;

create view segment_tag_facts as
select workspace_id, customer_id, tag_id from customer_tags;

create view segment_tag_names as
select workspace_id, id, name from tags where deleted_at is null;

create view segment_workspace_members as
select workspace_id, user_id from memberships;

-- The same columns stored: a preview scans one narrow table instead of joining three wide
-- ones (measured 3.2 s → 0.4 s for a three-condition count at 1M customers). Kept current by
-- the customers.changed subscriber before it evaluates membership, reconciled hourly, rebuilt
-- by `siyu segments rebuild`.
create table segment_facts (
  workspace_id uuid not null,
  customer_id bigint not null,
  gender text,
  birthday date,
  province text,
  city text,
  consent_status text,
  source_channel text,
  source_lure text,
  owner_user_id uuid,
  joined_at timestamptz,
  created_at timestamptz,
  first_order_at timestamptz,
  last_order_at timestamptz,
  paid_order_count integer not null default 0,
  paid_amount_fen bigint not null default 0,
  refunded_amount_fen bigint not null default 0,
  orders_30d integer not null default 0,
  amount_30d_fen bigint not null default 0,
  orders_90d integer not null default 0,
  amount_90d_fen bigint not null default 0,
  orders_180d integer not null default 0,
  amount_180d_fen bigint not null default 0,
  orders_365d integer not null default 0,
  amount_365d_fen bigint not null default 0,
  first_interaction_at timestamptz,
  last_interaction_at timestamptz,
  rfm_r smallint,
  rfm_f smallint,
  rfm_m smallint,
  rfm_class text,
  lifecycle_stage text,
  lifecycle_days_stage text,
  lifecycle_stage_stage text,
  lifecycle_business_stage text,
  value_layer text,
  consumption_tier text,
  primary key (workspace_id, customer_id)
);
