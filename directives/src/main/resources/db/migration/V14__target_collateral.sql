-- The collateral rule a target breaks (a whole top-level domain, a name reserved for the state, a
-- wide network, shared infrastructure) that its directive acknowledged in acknowledgeCollateral;
-- NULL for every other target. Directives accepted before the guard existed have NULL throughout.
ALTER TABLE directive_target ADD COLUMN collateral VARCHAR(32);
