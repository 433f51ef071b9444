-- Segment event windows count recent events through an index-only scan of events_type_time_idx,
-- which reads the table only for pages not marked all-visible. New events are inserted into the
-- free space left across the whole table, so every batch clears the all-visible bit of pages
-- far apart, and PostgreSQL's default vacuums an insert-only table only after a fifth of its
-- size was inserted (8.4 million events at 42 million). At 1,000,000 customers 31 % of the
-- events' pages had lost the bit after two benchmark runs, and a 90-day preview went from 2.8 s
-- to 4.9 s, fetching 175,815 rows from the table per worker (docs/benchmarks.md, segments).
-- Vacuum after every 10,000 inserted events instead: it reads only the pages not all-visible.
alter table events set (autovacuum_vacuum_insert_threshold = 10000, autovacuum_vacuum_insert_scale_factor = 0);
