-- Ingestion writes (events, identities, aggregates) cost less per row; see docs/ingestion.md
-- ("Throughput") and docs/benchmarks.md. Nothing here weakens durability or integrity.

-- Events and orders are found by customer; an undo picks the rows of the survivor that
-- arrived through the moved identities with the customer index and a filter, so a second
-- index maintained on every inserted row is not worth it.
drop index if exists events_identity_idx;
drop index if exists orders_identity_idx;

-- Masked phone search only ever looks for mobiles.
drop index if exists customer_identities_last4_idx;
create index customer_identities_last4_idx on customer_identities (workspace_id, right(value, 4)) where type = 'mobile';

-- Row-level foreign keys on the hottest tables ran one lookup per row and row-locked the
-- referenced customer (a heap write per identity and per aggregate row). The same rules are
-- now checked once per statement against the rows it wrote (transition tables), and a
-- customer that is still referenced cannot be deleted. Customers are never deleted by Siyu
-- today; an erasure feature must take the workspace identity lock, as every writer here does.
alter table customer_identities drop constraint if exists customer_identities_workspace_id_customer_id_fkey;
alter table customer_identities drop constraint if exists customer_identities_workspace_id_type_fkey;
alter table customer_stats drop constraint if exists customer_stats_workspace_id_customer_id_fkey;

create function check_customer_refs() returns trigger language plpgsql as $$
begin
  -- LATERAL ... LIMIT 1 keeps this an index probe per written row, whatever the planner
  -- thinks of the transition table's size.
  if exists (
    select 1 from written w
    left join lateral (select 1 as ok from customers c where c.workspace_id = w.workspace_id and c.id = w.customer_id limit 1) c on true
    where c.ok is null) then
    raise exception using errcode = 'foreign_key_violation', message = format('%s references a customer that does not exist', tg_table_name);
  end if;
  return null;
end $$;

create function check_identity_type_refs() returns trigger language plpgsql as $$
begin
  if exists (
    select 1 from written w
    left join lateral (select 1 as ok from identity_types t where t.workspace_id = w.workspace_id and t.key = w.type limit 1) t on true
    where t.ok is null) then
    raise exception using errcode = 'foreign_key_violation', message = 'customer_identities references an identity type that does not exist';
  end if;
  return null;
end $$;

create trigger customer_identities_customer_insert after insert on customer_identities
  referencing new table as written for each statement execute function check_customer_refs();
create trigger customer_identities_customer_update after update on customer_identities
  referencing new table as written for each statement execute function check_customer_refs();
create trigger customer_identities_type_insert after insert on customer_identities
  referencing new table as written for each statement execute function check_identity_type_refs();
create trigger customer_identities_type_update after update on customer_identities
  referencing new table as written for each statement execute function check_identity_type_refs();
create trigger customer_stats_customer_insert after insert on customer_stats
  referencing new table as written for each statement execute function check_customer_refs();

create function check_customer_unreferenced() returns trigger language plpgsql as $$
begin
  if exists (select 1 from gone g join customer_identities ci on ci.workspace_id = g.workspace_id and ci.customer_id = g.id)
     or exists (select 1 from gone g join customer_stats s on s.workspace_id = g.workspace_id and s.customer_id = g.id) then
    raise exception using errcode = 'foreign_key_violation', message = 'customer is still referenced by its identities or aggregates';
  end if;
  return null;
end $$;

create trigger customers_referenced_delete after delete on customers
  referencing old table as gone for each statement execute function check_customer_unreferenced();

-- Aggregates and customers are updated in place on every batch; free room on each page lets
-- those updates stay on the page (HOT) instead of adding index entries. Applies to pages
-- written from now on.
alter table customer_stats set (fillfactor = 80);
alter table customers set (fillfactor = 90);
