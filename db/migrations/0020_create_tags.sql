-- Tags (SPEC C3): tag groups and tags of three kinds, which customers hold which tag (and
-- who or which rule gave it, and when), automatic tag rules over behaviour, and what a
-- merge moved so an undo puts it back. See docs/tags.md.

create table tag_groups (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  name text not null check (length(name) between 1 and 60),
  -- static: who they are; consumption: what/how they buy; tier: value layer.
  kind text not null check (kind in ('static', 'consumption', 'tier')),
  description text check (length(description) <= 500),
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, name)
);

create table tags (
  workspace_id uuid not null,
  id uuid not null,
  group_id uuid not null,
  name text not null check (length(name) between 1 and 60),
  kind text not null check (kind in ('static', 'consumption', 'tier')),
  color text not null default 'blue' check (color ~ '^([a-z]{3,10}|#[0-9a-f]{6})$'),
  description text check (length(description) <= 500),
  -- Customers holding the tag, kept in the transaction of every change (the tag manager
  -- reads it without counting customer_tags).
  customer_count integer not null default 0 check (customer_count >= 0),
  -- Set when the tag is being deleted: it is hidden and cannot be given while its holders
  -- are removed (each removal recorded); the row goes when none are left.
  deleted_at timestamptz,
  created_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, group_id, name),
  foreign key (workspace_id, group_id) references tag_groups (workspace_id, id)
);
create index tags_deleted_idx on tags (deleted_at) where deleted_at is not null;

create table tag_rules (
  workspace_id uuid not null,
  id uuid not null,
  tag_id uuid not null,
  name text not null check (length(name) between 1 and 100),
  description text check (length(description) <= 500),
  -- { match: 'all' | 'any', conditions: [...] } (validated by the tags module).
  definition jsonb not null,
  is_enabled boolean not null default true,
  -- Bumped when the definition or the enabled flag changes; a full apply records the
  -- version it applied, so a stale apply never marks a newer version applied.
  version integer not null default 1,
  applied_version integer,
  applied_at timestamptz,
  created_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, tag_id) references tags (workspace_id, id) on delete cascade
);
create index tag_rules_tag_idx on tag_rules (workspace_id, tag_id);

create table customer_tags (
  workspace_id uuid not null,
  customer_id bigint not null,
  tag_id uuid not null,
  source text not null check (source in ('manual', 'rule', 'import', 'sync')),
  -- The rule that gave the tag (source 'rule'); rules never remove other sources.
  rule_id uuid,
  added_by text,
  added_at timestamptz not null,
  -- For rule-given tags: the earliest time the rule may stop holding without any new
  -- event (a window passing); a scheduled job re-evaluates the customer then.
  expires_at timestamptz,
  primary key (workspace_id, customer_id, tag_id),
  foreign key (workspace_id, tag_id) references tags (workspace_id, id),
  check ((source = 'rule') = (rule_id is not null))
);
create index customer_tags_tag_idx on customer_tags (workspace_id, tag_id, customer_id);
create index customer_tags_expiry_idx on customer_tags (expires_at) where expires_at is not null;

-- The merged customer's tags at merge time and the survivor's rows the merge replaced, so
-- an undo restores both exactly. One row per merged customer (it can be merged once at a time).
create table customer_tag_merges (
  workspace_id uuid not null,
  merged_id bigint not null,
  survivor_id bigint not null,
  merged_rows jsonb not null,
  survivor_rows jsonb not null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, merged_id)
);

-- Rows of the customers, events and orders modules the tags module reads (modules read
-- each other's data only through views).
create view tag_customer_facts as
select workspace_id, id, merged_into from customers;

create view tag_identity_facts as
select workspace_id, id, customer_id from customer_identities;

create view tag_event_facts as
select workspace_id, customer_id, type, occurred_at, properties from events;

-- Purchases: paid orders that were neither cancelled nor fully refunded, at their payment time.
create view tag_order_facts as
select workspace_id, id, customer_id, paid_at, paid_fen - refunded_fen as net_fen
from orders
where paid_at is not null and status not in ('pending', 'cancelled', 'refunded');

create view tag_order_item_facts as
select workspace_id, order_id, product_id, sku, category
from order_items
where refunded_quantity < quantity;
