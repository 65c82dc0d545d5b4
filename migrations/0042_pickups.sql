-- Collection of paid eMask orders at convenience stores (SPEC §5, seeds [ORD 5, 6, 9, 10, 13]).

-- Pickup slips (取貨單) printed for a serial at a store's kiosk or counter.
create table pickup_slips (
  id bigint generated always as identity primary key,
  order_id bigint not null references orders (id),
  store_id bigint not null references stores (id),
  printed_at timestamptz not null
);
create index pickup_slips_order on pickup_slips (order_id);

-- One collection per order (the order's state says collected; this keeps how). Document
-- numbers are not kept: only which kind of document the buyer showed and, for a proxy
-- ([ORD 9, 10]), the kind and the masked number of the proxy's own document.
create table pickups (
  order_id bigint primary key references orders (id),
  store_id bigint not null references stores (id),
  packs int not null check (packs > 0),
  collected_at timestamptz not null,
  buyer_document_type text not null check (buyer_document_type in ('id_card', 'nhi_card', 'driver_license')),
  proxy_document_type text check (proxy_document_type in ('id_card', 'nhi_card', 'driver_license')),
  proxy_document_masked text,
  check ((proxy_document_type is null) = (proxy_document_masked is null))
);

-- Damaged masks exchanged at the counter on the day of collection, whole packs only [ORD 13].
create table exchanges (
  id bigint generated always as identity primary key,
  order_id bigint not null references orders (id),
  store_id bigint not null references stores (id),
  packs int not null check (packs > 0),
  exchanged_at timestamptz not null
);
create index exchanges_order on exchanges (order_id);
