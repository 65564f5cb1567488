-- 0002: the LLM call trace (every provider call, failures included) and rolling-rewrite
-- candidates with the canon pick. Calls outlive nothing: a deleted match or federation
-- cascades its trace away, so no orphan rows remain.

CREATE TABLE llm_calls (
    id             INTEGER PRIMARY KEY,
    operation      TEXT    NOT NULL,
    provider       TEXT    NOT NULL,
    model          TEXT    NOT NULL,
    guild_id       INTEGER,
    federation_id  INTEGER REFERENCES federations (id) ON DELETE CASCADE,
    match_id       INTEGER REFERENCES matches (id) ON DELETE CASCADE,
    tick           INTEGER,
    prompt         TEXT    NOT NULL,
    raw_reply      TEXT    NOT NULL DEFAULT '',
    parsed_json    TEXT,
    error          TEXT,
    fallback_reason TEXT,
    latency_s      REAL    NOT NULL DEFAULT 0,
    tokens_in      INTEGER NOT NULL DEFAULT 0,
    tokens_out     INTEGER NOT NULL DEFAULT 0,
    tokens_cached  INTEGER NOT NULL DEFAULT 0,
    cost_usd       REAL    NOT NULL DEFAULT 0,
    at             TEXT    NOT NULL
);

CREATE INDEX llm_calls_match ON llm_calls (match_id, tick);
CREATE INDEX llm_calls_guild_at ON llm_calls (guild_id, at);
CREATE INDEX llm_calls_federation_at ON llm_calls (federation_id, at);

CREATE TABLE rewrite_candidates (
    id             INTEGER PRIMARY KEY,
    match_id       INTEGER NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    segment        INTEGER NOT NULL CHECK (segment >= 1),
    first_tick     INTEGER NOT NULL,
    last_tick      INTEGER NOT NULL,
    writer         TEXT    NOT NULL,
    model          TEXT    NOT NULL,
    text           TEXT    NOT NULL DEFAULT '',
    dropped_reason TEXT,
    votes          INTEGER NOT NULL DEFAULT 0,
    canon          INTEGER NOT NULL DEFAULT 0 CHECK (canon IN (0, 1))
);

CREATE INDEX rewrite_candidates_match ON rewrite_candidates (match_id, segment);
