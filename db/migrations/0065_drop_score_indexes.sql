-- customer_scores keeps only its primary key.
--
-- * The class, stage, layer and tier indexes date from before segments read segment_facts: no
--   query reads them any more (segment conditions and click-throughs go through segment_facts;
--   the reports scan the workspace's scores). Each cost about 65 MB per million customers.
-- * The re-score day, last order day, frequency and monetary indexes served a recompute by
--   changes finding its customers with range scans. One parallel scan of the scores finds them
--   faster (1,000,000 customers: 105 ms against 139 ms for the bitmap scans of the indexes).
--
-- Without them a score write that keeps the primary key is a HOT update when its page has room
-- (fillfactor 90): no index entry is written, and a first scoring writes one index, not nine.
drop index customer_scores_rfm_class_idx;
drop index customer_scores_lifecycle_idx;
drop index customer_scores_value_layer_idx;
drop index customer_scores_tier_idx;
drop index customer_scores_rescore_day_idx;
drop index customer_scores_last_order_day_idx;
drop index customer_scores_frequency_idx;
drop index customer_scores_monetary_idx;
