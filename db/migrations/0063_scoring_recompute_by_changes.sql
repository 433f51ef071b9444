-- A recompute that re-scores only the customers whose scores can have changed since the last
-- run, instead of reading every customer (docs/segmentation.md, "How a recompute works"):
--
-- * customer_scores keeps the local day of the last order the RFM scores were computed from, and
--   the first local day on which the customer's scores would change with no new data (a
--   lifecycle or recency threshold crossed as time passes). A recompute re-scores the customers
--   whose day has come, and those whose R, F or M value lies between an old and a new cut point.
-- * scoring_distribution counts the customers with orders per value of each RFM input (last
--   order day, frequency, monetary), kept in the statement that writes the scores: the quintile
--   cut points are read from it instead of sorting every customer.
-- * A run records how it found the customers it re-scored (mode) and the time zone its days
--   were counted in.
--
-- Rows scored before this migration have neither day; the first recompute afterwards reads every
-- customer and fills them in.

alter table customer_scores
  add column last_order_day integer,
  add column rescore_on_day integer;

create index customer_scores_rescore_day_idx on customer_scores (workspace_id, rescore_on_day) where rescore_on_day is not null;
create index customer_scores_last_order_day_idx on customer_scores (workspace_id, last_order_day) where last_order_day is not null;
create index customer_scores_frequency_idx on customer_scores (workspace_id, rfm_frequency) where rfm_frequency is not null;
create index customer_scores_monetary_idx on customer_scores (workspace_id, rfm_monetary_fen) where rfm_monetary_fen is not null;

alter table scoring_staging
  add column last_order_day integer,
  add column rescore_on_day integer;

-- dimension: 0 every scored customer (value 0), 1 last order day, 2 frequency, 3 monetary
-- bucket (scoring_monetary_bucket), 4 monetary value; 1–4 count only customers with orders. A
-- row may fall to 0 customers. A count below zero would mean the table went wrong: a recompute
-- then reads every customer and rebuilds it.
-- Monetary values are also counted in buckets of their two leading digits (13,859 fen in
-- 13,000–13,999; below 100 one value per bucket): a cut point is found among a few hundred
-- buckets, then among the distinct values of its bucket only (there can be hundreds of thousands
-- of distinct amounts).
create function scoring_monetary_bucket(v bigint) returns bigint language sql immutable strict as $$
  select case when v < 100 then v else v - v % (10::numeric ^ (length(v::text) - 2))::bigint end
$$;

create table scoring_distribution (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  dimension smallint not null check (dimension between 0 and 4),
  value bigint not null,
  customers integer not null,
  primary key (workspace_id, dimension, value)
);

-- The rows scored so far, so that the writes before the next full recompute keep it right (the
-- last order day is not known yet: that recompute fills it in and rebuilds the table).
insert into scoring_distribution (workspace_id, dimension, value, customers)
select workspace_id, 0, 0, count(*) from customer_scores group by workspace_id
union all
select workspace_id, 2, rfm_frequency, count(*) from customer_scores where rfm_frequency is not null group by workspace_id, rfm_frequency
union all
select workspace_id, 3, scoring_monetary_bucket(rfm_monetary_fen), count(*) from customer_scores where rfm_monetary_fen is not null group by 1, 3
union all
select workspace_id, 4, rfm_monetary_fen, count(*) from customer_scores where rfm_monetary_fen is not null group by 1, 3;

alter table scoring_runs
  add column mode text check (mode in ('full', 'changes')),
  add column time_zone text;

-- How many times a recompute that reads every customer was asked for (an import, new settings,
-- the first scoring, or an operator's "full" request). A full run records the number it saw
-- when it started; while a later request is not covered, the next run reads every customer.
create table scoring_state (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  full_requests bigint not null,
  primary key (workspace_id)
);
alter table scoring_runs add column full_requests_seen bigint;

-- The runs of a workspace follow one another (one queued or running at a time); this orders
-- runs that finished within the same instant.
alter table scoring_runs add column seq bigserial;
