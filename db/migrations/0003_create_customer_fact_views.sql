-- Read-only views through which the customers module reads rows owned by the events and
-- orders modules (modules read each other's data only through views): per-customer
-- aggregates, the rebuild, and the timeline.

create view customer_event_facts as
select workspace_id, id, customer_id, identity_id, client_id, type, occurred_at, source, properties
from events;

create view customer_order_facts as
select workspace_id, id, customer_id, identity_id, platform, order_no, store, status,
  paid_fen, refunded_fen, total_fen, item_count, ordered_at, paid_at, status_at,
  -- An order counts for purchase aggregates once paid, unless it was cancelled or never paid.
  (paid_at is not null and status not in ('pending', 'cancelled')) as is_counted
from orders;
