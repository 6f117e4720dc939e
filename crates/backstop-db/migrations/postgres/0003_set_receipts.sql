-- Sets sent with an id the client made (a phone's offline queue, an API client's Idempotency-Key): which session
-- each was stored in and at what position, so that a set sent twice (a retry after a lost answer, a sync cut short)
-- is stored once. Not a fact about training: kept when the session is later edited or deleted, so that a late retry
-- of a set the person has since removed does not bring it back.
CREATE TABLE set_receipts (
    athlete_id  bigint NOT NULL REFERENCES athletes(id),
    client_id   text   NOT NULL,
    session_id  bigint NOT NULL,
    position    integer NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (athlete_id, client_id)
);
