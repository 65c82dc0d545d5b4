-- Bank-notice ingestion (issue 7 (f), bench/RESULTS.md): the foreign key of bank_notices.order_id
-- cost an index probe and a KEY SHARE lock on the order row per notice, for nothing: a notice
-- names an order only after the batch has read that order (src/payments/notice-batch.ts), and
-- orders are never deleted. The index stays: notices are found by order.
alter table bank_notices drop constraint bank_notices_order_id_fkey;
