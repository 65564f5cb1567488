-- 0010: live play infrastructure: the per-channel Discord outbox of tick narration, and the
-- record of each weekly show occurrence (ran / missed / Discord event created), which makes
-- the scheduler's start-up catch-up idempotent across restarts.
-- (Numbered 0010 on purpose: 0004-0009 are reserved for work landing alongside.)

CREATE TABLE outbox (
    id             INTEGER PRIMARY KEY,
    channel_id     INTEGER NOT NULL,
    match_id       INTEGER NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    time_index     INTEGER NOT NULL CHECK (time_index >= 0),
    text           TEXT    NOT NULL CHECK (length(text) > 0),
    enqueued_at    TEXT    NOT NULL,
    nonce          TEXT,              -- set just before sending: the claim of a send
    claimed_at     TEXT,
    message_id     INTEGER,           -- set once the send returned: posted
    posted_at      TEXT,
    dropped_reason TEXT,              -- the channel refused it for good (deleted, forbidden)
    UNIQUE (match_id, time_index),
    CHECK ((message_id IS NULL) = (posted_at IS NULL)),
    CHECK ((nonce IS NULL) = (claimed_at IS NULL))
);

CREATE INDEX outbox_unposted ON outbox (channel_id, id)
    WHERE message_id IS NULL AND dropped_reason IS NULL;
CREATE INDEX outbox_posted ON outbox (channel_id, posted_at) WHERE posted_at IS NOT NULL;
CREATE INDEX outbox_by_message ON outbox (message_id) WHERE message_id IS NOT NULL;

CREATE TABLE show_occurrences (
    show_id          INTEGER NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
    due_at           TEXT    NOT NULL,   -- the scheduled start, UTC
    outcome          TEXT    CHECK (outcome IN ('ran', 'missed')),
    settled_at       TEXT,
    event_created_at TEXT,
    PRIMARY KEY (show_id, due_at),
    CHECK ((outcome IS NULL) = (settled_at IS NULL))
) WITHOUT ROWID;
