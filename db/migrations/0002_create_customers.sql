-- Customers and one identity (OneID), profile attributes, consent, merges; events and orders;
-- per-customer aggregates. See docs/customers.md.

create extension if not exists pg_trgm;

-- Identity types are data: built-ins are copied into each workspace when it is created,
-- and a workspace may add its own (e.g. a loyalty app's member id).
create table identity_types (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  key text not null check (key ~ '^[a-z][a-z0-9_]{1,40}$'),
  label_zh text not null,
  label_en text not null,
  -- strong: sharing it links customers for sure; weak: only suggests a merge;
  -- strong_if_verified: strong when the identity is marked verified (mobile).
  strength text not null check (strength in ('strong', 'weak', 'strong_if_verified')),
  -- Scoped identities are unique only within a scope: WeCom corp id, WeChat app id.
  is_scoped boolean not null default false,
  normalizer text not null default 'trim' check (normalizer in ('trim', 'lowercase', 'mobile', 'email')),
  is_builtin boolean not null default false,
  created_at timestamptz not null default now(),
  primary key (workspace_id, key)
);

-- Custom profile attributes with types; values live in customers.attributes.
create table attribute_definitions (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  key text not null check (key ~ '^[a-z][a-z0-9_]{0,40}$'),
  label_zh text not null,
  label_en text not null,
  type text not null check (type in ('string', 'number', 'boolean', 'date', 'enum')),
  options text[] not null default '{}',
  created_at timestamptz not null default now(),
  primary key (workspace_id, key)
);

create sequence customers_id_seq as bigint;

create table customers (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id bigint not null,
  -- Set when this customer was merged into another; the row stays so a merge can be undone.
  merged_into bigint,
  name text,
  nickname text,
  gender text not null default 'unknown' check (gender in ('male', 'female', 'unknown')),
  birthday date,
  province text,
  city text,
  -- The primary mobile (E.164) for display and contact; every mobile is also an identity.
  mobile text,
  email text,
  consent_status text not null default 'unknown' check (consent_status in ('granted', 'denied', 'unknown')),
  consent_updated_at timestamptz,
  source_channel text,
  source_lure text,
  owner_user_id uuid references users (id) on delete set null,
  attributes jsonb not null default '{}'::jsonb,
  -- When the customer entered the private domain (first WeCom add / follow / group join).
  joined_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create index customers_active_idx on customers (workspace_id, id) where merged_into is null;
create index customers_name_trgm_idx on customers using gin (name gin_trgm_ops);
create index customers_nickname_trgm_idx on customers using gin (nickname gin_trgm_ops);
create index customers_owner_idx on customers (workspace_id, owner_user_id) where owner_user_id is not null;
create index customers_consent_idx on customers (workspace_id, consent_status, id) where merged_into is null;
create index customers_source_idx on customers (workspace_id, source_channel, id) where source_channel is not null;
create index customers_attributes_idx on customers using gin (attributes jsonb_path_ops);
create index customers_merged_into_idx on customers (workspace_id, merged_into) where merged_into is not null;

create sequence customer_identities_id_seq as bigint;

create table customer_identities (
  workspace_id uuid not null,
  type text not null,
  scope text not null default '',
  value text not null,
  -- Surrogate id: events and orders remember which identity they arrived through, so a
  -- merge can be undone exactly.
  id bigint not null,
  customer_id bigint not null,
  is_verified boolean not null default false,
  source text,
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  primary key (workspace_id, type, scope, value),
  unique (workspace_id, id),
  foreign key (workspace_id, type) references identity_types (workspace_id, key),
  foreign key (workspace_id, customer_id) references customers (workspace_id, id)
);
create index customer_identities_customer_idx on customer_identities (workspace_id, customer_id);
-- Masked phone search (138****8888, or the last four digits) for callers who may not see numbers.
create index customer_identities_last4_idx on customer_identities (workspace_id, type, right(value, 4));

create table customer_consents (
  workspace_id uuid not null,
  id bigint generated always as identity,
  customer_id bigint not null,
  purpose text not null default 'marketing',
  channel text not null default 'all',
  status text not null check (status in ('granted', 'denied')),
  source text,
  recorded_at timestamptz not null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, customer_id) references customers (workspace_id, id)
);
create index customer_consents_customer_idx on customer_consents (workspace_id, customer_id, recorded_at desc);

create table customer_notes (
  workspace_id uuid not null,
  id uuid not null,
  customer_id bigint not null,
  author_user_id uuid references users (id) on delete set null,
  body text not null check (length(body) between 1 and 5000),
  created_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, customer_id) references customers (workspace_id, id)
);
create index customer_notes_customer_idx on customer_notes (workspace_id, customer_id, created_at desc);

-- Every merge: who/what/why, and what moved, so it can be undone exactly.
create table customer_merges (
  workspace_id uuid not null,
  id uuid not null,
  survivor_id bigint not null,
  merged_id bigint not null,
  reason text not null check (reason in ('strong_identity', 'manual', 'conflict_resolved', 'import')),
  evidence jsonb not null default '{}'::jsonb,
  -- The merged customer's identities (ids) and profile before the merge.
  snapshot jsonb not null,
  actor_type text not null,
  actor_id text,
  created_at timestamptz not null default now(),
  undone_at timestamptz,
  undone_by text,
  primary key (workspace_id, id),
  foreign key (workspace_id, survivor_id) references customers (workspace_id, id),
  foreign key (workspace_id, merged_id) references customers (workspace_id, id)
);
create index customer_merges_customer_idx on customer_merges (workspace_id, survivor_id);
create index customer_merges_merged_idx on customer_merges (workspace_id, merged_id);

-- Links Siyu will not make by itself: an operator decides.
create table merge_reviews (
  workspace_id uuid not null,
  id uuid not null,
  customer_a bigint not null,
  customer_b bigint not null,
  kind text not null check (kind in ('strong_conflict', 'weak_link')),
  details jsonb not null default '{}'::jsonb,
  status text not null default 'open' check (status in ('open', 'merged', 'dismissed')),
  decided_by uuid references users (id) on delete set null,
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, customer_a, customer_b, kind),
  foreign key (workspace_id, customer_a) references customers (workspace_id, id),
  foreign key (workspace_id, customer_b) references customers (workspace_id, id)
);
create index merge_reviews_open_idx on merge_reviews (workspace_id, created_at) where status = 'open';

create sequence events_id_seq as bigint;

create table events (
  workspace_id uuid not null,
  id bigint not null,
  -- The client's idempotency key: a replayed event is a duplicate, never a second row.
  client_id text not null,
  type text not null,
  occurred_at timestamptz not null,
  received_at timestamptz not null default now(),
  customer_id bigint not null,
  identity_id bigint,
  source text,
  properties jsonb not null default '{}'::jsonb,
  primary key (workspace_id, id),
  unique (workspace_id, client_id)
);
create index events_customer_time_idx on events (workspace_id, customer_id, occurred_at desc, id desc);
create index events_identity_idx on events (workspace_id, identity_id);

create sequence orders_id_seq as bigint;

create table orders (
  workspace_id uuid not null,
  id bigint not null,
  platform text not null,
  order_no text not null,
  store text,
  customer_id bigint not null,
  identity_id bigint,
  status text not null check (status in ('pending', 'paid', 'shipped', 'completed', 'refunded', 'partially_refunded', 'cancelled')),
  currency text not null default 'CNY',
  total_fen bigint not null check (total_fen >= 0),
  discount_fen bigint not null default 0 check (discount_fen >= 0),
  shipping_fen bigint not null default 0 check (shipping_fen >= 0),
  paid_fen bigint not null default 0 check (paid_fen >= 0),
  refunded_fen bigint not null default 0 check (refunded_fen >= 0),
  item_count integer not null default 0,
  ordered_at timestamptz not null,
  paid_at timestamptz,
  shipped_at timestamptz,
  completed_at timestamptz,
  refunded_at timestamptz,
  -- The time of the newest status the order has taken; an older update arriving late
  -- does not overwrite a newer one.
  status_at timestamptz not null,
  source text,
  attributes jsonb not null default '{}'::jsonb,
  -- Hash of the last accepted body: the same upsert twice changes nothing.
  body_hash text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, platform, order_no),
  check (refunded_fen <= paid_fen)
);
create index orders_customer_idx on orders (workspace_id, customer_id, paid_at);
create index orders_identity_idx on orders (workspace_id, identity_id);

create table order_items (
  workspace_id uuid not null,
  order_id bigint not null,
  line_no integer not null,
  sku text,
  product_id text,
  name text not null,
  category text,
  quantity integer not null check (quantity > 0),
  unit_price_fen bigint not null check (unit_price_fen >= 0),
  amount_fen bigint not null check (amount_fen >= 0),
  refunded_quantity integer not null default 0,
  primary key (workspace_id, order_id, line_no),
  foreign key (workspace_id, order_id) references orders (workspace_id, id) on delete cascade
);

-- Per-customer aggregates, kept up to date in the transaction of every write and
-- recomputable from the raw rows (`siyu customers rebuild-stats`).
create table customer_stats (
  workspace_id uuid not null,
  customer_id bigint not null,
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
  -- The windows above are exact as of windows_as_of and stay exact until windows_valid_until,
  -- when the oldest counted order leaves a window; a scheduled job refreshes them then.
  windows_as_of timestamptz,
  windows_valid_until timestamptz,
  first_interaction_at timestamptz,
  last_interaction_at timestamptz,
  interaction_count integer not null default 0,
  updated_at timestamptz not null default now(),
  primary key (workspace_id, customer_id),
  foreign key (workspace_id, customer_id) references customers (workspace_id, id)
);
create index customer_stats_windows_idx on customer_stats (windows_valid_until) where windows_valid_until is not null;
