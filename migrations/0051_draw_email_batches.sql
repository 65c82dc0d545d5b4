-- The selection e-mails of a drawn round (issue 7 (e), docs/DRAW.md "Scale"): the draw's
-- transaction queues ONE row here, with the rendered template, instead of one outbox row per
-- winner (2.33 M rows were ≈ 49 s of the draw). The delivery worker expands it into outbox rows
-- in chunks, in winner (order id) order, each chunk in one transaction with the cursor, so a
-- crash repeats no chunk and skips none (and outbox.dedupe_key stops a repeat anyway).
create table draw_email_batches (
  round_id bigint primary key references rounds (id),
  sender text not null,
  subject text not null,
  body text not null,
  order_id_placeholder text not null,
  amount_placeholder text not null,
  -- winners with order_id > expanded_through are still to be expanded
  expanded_through bigint not null default 0,
  created_at timestamptz not null,
  expanded boolean not null default false
);

-- Wake the delivery workers as a new outbox row does (migration 0040's function).
create trigger draw_email_batches_queued after insert on draw_email_batches
  for each statement execute function outbox_notify_enqueued();
