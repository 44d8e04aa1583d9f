-- Indexes the reports (apps/api/src/reports/report-queries.ts) read through under row-level security:
-- tenant first (the policy's predicate), then the store and the instant, so each store's local-day
-- bounds are one index range. Sales are read through sales_store_time (0014).
create index refunds_store_time on refunds (tenant_id, store_id, created_at);
-- Voids are few: a partial index on the time of the void.
create index sales_store_voided on sales (tenant_id, store_id, voided_at) where status = 'voided';
