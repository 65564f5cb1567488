-- 0012: full-rewrite scripts written by players in Discord. One row per full_rewrite match
-- that takes a script by hand: who besides the promoters may write it, the thread message with
-- the "Submit script" button, the deadline, and the accepted script (so a restart mid-match
-- continues it). A row may exist before the match goes live, only naming its writer.

CREATE TABLE script_desks (
    match_id        INTEGER PRIMARY KEY REFERENCES matches (id) ON DELETE CASCADE,
    writer_user_id  INTEGER,
    thread_id       INTEGER,
    message_id      INTEGER,
    opened_at       TEXT,
    deadline_at     TEXT,
    status          TEXT CHECK (status IN ('open', 'accepted', 'expired')),
    script_json     TEXT,
    author_user_id  INTEGER,
    author_name     TEXT,
    settled_at      TEXT,
    CHECK ((status IS NULL) = (deadline_at IS NULL)),
    CHECK ((status = 'accepted') = (script_json IS NOT NULL)),
    CHECK ((status IN ('accepted', 'expired')) = (settled_at IS NOT NULL))
);
