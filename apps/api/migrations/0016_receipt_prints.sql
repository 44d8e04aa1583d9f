-- Receipt prints: how many times each document's receipt was rendered (GET /sales/{id}/receipt), so every
-- print after the first says it is a copy. One row per document, upserted by each print: the row lock orders
-- concurrent prints, so exactly one of them is the original.
--
-- receipt_number is the number as the first print showed it (`<store code>-<register position>-<number>`,
-- receipts/receipt-number.ts): a reprint shows the same number after the store's code changes.
-- document_id is a sale's (later a refund's) id; there is no foreign key because the table serves several
-- kinds of document.
create table receipt_prints (
  tenant_id uuid not null references tenants (id),
  document_type text not null check (document_type in ('sale', 'refund')),
  document_id uuid not null,
  receipt_number text not null check (length(receipt_number) between 1 and 80),
  count integer not null check (count >= 1),
  first_printed_at timestamptz not null default now(),
  last_printed_at timestamptz not null default now(),
  primary key (tenant_id, document_type, document_id)
);

select app_isolate_tenant_tables('receipt_prints');

grant select, insert on receipt_prints to zakpos_app;
grant update (count, last_printed_at) on receipt_prints to zakpos_app;
