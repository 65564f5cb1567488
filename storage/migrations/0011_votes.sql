-- 0011: rolling-rewrite votes in Discord. One row per voted segment (the ballot message,
-- its window, how it was decided) and each member's current choice (their latest number
-- reaction; NULL once withdrawn), so a vote interrupted by a restart can still be tallied.

CREATE TABLE rewrite_votes (
    id              INTEGER PRIMARY KEY,
    match_id        INTEGER NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    segment         INTEGER NOT NULL CHECK (segment >= 1),
    channel_id      INTEGER NOT NULL,
    message_id      INTEGER,
    candidates_json TEXT    NOT NULL,
    opened_at       TEXT    NOT NULL,
    closes_at       TEXT    NOT NULL,
    promoter_pick   INTEGER,
    closed_at       TEXT,
    winner          INTEGER,
    decided_by      TEXT,
    UNIQUE (match_id, segment),
    CHECK ((closed_at IS NULL) = (winner IS NULL))
);

CREATE INDEX rewrite_votes_message ON rewrite_votes (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX rewrite_votes_open ON rewrite_votes (match_id) WHERE closed_at IS NULL;

CREATE TABLE rewrite_ballots (
    vote_id  INTEGER NOT NULL REFERENCES rewrite_votes (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL,
    choice   INTEGER CHECK (choice IS NULL OR choice >= 1),
    cast_at  TEXT    NOT NULL,
    PRIMARY KEY (vote_id, user_id)
) WITHOUT ROWID;
