-- Message verification (API.md v1.1 "Message verification", docs/NOTIFICATIONS.md "Checking a
-- message"): every e-mail and SMS carries a reference (查證碼) in its body, and the recipient can
-- check reference + their phone or e-mail on the official site. What that check reads:
--   reference        the reference the body carries, e.g. K7QX-3M9P-TR2D (unique; null only on
--                    rows queued before this migration, which cannot be checked)
--   summary          what the page says the message was: its kind, no personal data
--   recipient_index  keyed blind index (HMAC-SHA256, src/platform/vault.ts) of the canonical
--                    recipient (0912345678, lower-case e-mail), written by the delivery worker
--                    when the receiver accepted the message (with sent_at): the recipient itself
--                    stays sealed, and a message counts as sent by the platform once it was sent.
alter table outbox
  add column reference text,
  add column summary text,
  add column recipient_index bytea;
create unique index outbox_reference on outbox (reference) where reference is not null;

-- The draw's selection e-mails are one template row expanded later (migration 0051): where the
-- reference goes in its body, and the summary (with the order id placeholder).
alter table draw_email_batches
  add column reference_placeholder text,
  add column summary text;
