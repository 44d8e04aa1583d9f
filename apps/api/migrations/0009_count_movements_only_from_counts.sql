-- A movement coded 'count' is the variance of a completed count sheet, and a count sheet posts nothing else:
-- POST /stores/{id}/stock/adjustments refuses the code (the contract), and this keeps any other writer out.
-- NOT VALID: rows written before this migration through the adjustment route keep their history (they are not
-- rewritten or removed); every row written from now on is checked.
alter table stock_movements
  add constraint stock_movements_count_only_from_counts
  check ((reason_code is not distinct from 'count') = (reference_type is not distinct from 'count'))
  not valid;
