-- Tag changes of journey steps. The tags module changes tags in transactions of its own, so a
-- step records its tag change here in the batch's transaction (with the step's progress), and
-- the change is applied right after commit; a crash in between leaves the row, and a sweep
-- applies it later (tagging is idempotent, so applying twice changes nothing).
create table journey_tag_effects (
  workspace_id uuid not null,
  id bigint generated always as identity,
  journey_id uuid not null,
  tag_id uuid not null,
  action text not null check (action in ('add', 'remove')),
  customer_ids bigint[] not null,
  created_at timestamptz not null,
  -- Set while a process applies the row; an expired claim is taken again.
  claimed_until timestamptz,
  primary key (workspace_id, id)
);
create index journey_tag_effects_pending_idx on journey_tag_effects (id);
