-- Personal data encrypted at rest (issue 6, docs/SECURITY.md "Personal data at rest").
-- National IDs, resident certificate numbers, names, phones and e-mails hold sealed text
-- (`v1.<keyId>.<base64url>`, AES-256-GCM, src/platform/vault.ts); look-ups by ID go through a
-- keyed blind index (HMAC-SHA256). The columns keep their names and text type, so SQL can still
-- copy a sealed value (an order's e-mail into the outbox); only equality on the plaintext moves
-- to the index columns.

alter table persons
  add column national_id_index bytea,
  add column arc_number_index bytea,
  -- As every display shows it (maskId: first 2 + stars + last 4); the weekday rule needs its
  -- last digit, so a sale does not have to open the ID.
  add column national_id_masked text;
alter table persons drop constraint persons_national_id_key;
create unique index persons_national_id_index on persons (national_id_index);
create index persons_arc_number_index on persons (arc_number_index) where arc_number_index is not null;

-- Travellers' purchases keep the blind index of the passport number (hex), not the number.

-- Sealed phones no longer look like phones.
alter table devices drop constraint devices_phone_check;

-- Rows written before this migration hold plaintext; the first start after it seals them
-- (src/platform/seal-personal-data.ts) and sets `plaintext_sealed`. A new database has none.
create table personal_data_state (
  id int primary key check (id = 1),
  plaintext_sealed boolean not null
);
insert into personal_data_state (id, plaintext_sealed)
select 1, not (exists (select 1 from persons) or exists (select 1 from orders)
               or exists (select 1 from devices) or exists (select 1 from outbox)
               or exists (select 1 from purchases where passport_no is not null));
