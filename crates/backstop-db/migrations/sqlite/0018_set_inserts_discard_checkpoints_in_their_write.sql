-- A set inserted with its session needs no trigger of its own to discard a fold checkpoint it predates: the
-- session's row is inserted (or, for a corrected session, updated) in the same transaction, at the same instant, and
-- the session's trigger discards it. Only a set added to a session already stored can predate a checkpoint on its
-- own, and the one write that does so (`Store::append_set`) discards it in its own transaction. The per-row trigger
-- cost every imported set a call of a trigger program even when no checkpoint existed: about a quarter of SQLite's
-- work when a history is imported (100,000 sets stored in 0.23-0.33 s with it, 0.18 s without, by
-- `cargo bench -p backstop-db --bench import`). The tests in `tests/it/checkpoints.rs` add sets to old sessions and
-- check that no checkpoint outlives them.
DROP TRIGGER sets_insert_checkpoint;
