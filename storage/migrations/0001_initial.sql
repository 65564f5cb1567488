-- 0001: the initial LLMFed schema.
-- Conventions: timestamps are ISO-8601 UTC text; *_json columns hold pydantic JSON;
-- name_key is the casefolded name (Unicode-aware uniqueness; name keeps COLLATE NOCASE
-- for ordering). References into history (match participants, title holders, tick actors,
-- booked winners) are plain ids without a foreign key, so releasing a wrestler never
-- rewrites or deletes the record books; everything that cannot outlive its parent
-- cascades, so deleting a federation leaves no orphan rows.

CREATE TABLE federations (
    id                  INTEGER PRIMARY KEY,
    guild_id            INTEGER NOT NULL,
    name                TEXT    NOT NULL COLLATE NOCASE,
    name_key            TEXT    NOT NULL,
    description         TEXT    NOT NULL DEFAULT '',
    tier                TEXT    NOT NULL CHECK (tier IN ('indie', 'regional', 'national', 'global')),
    owner_user_id       INTEGER NOT NULL,
    announce_channel_id INTEGER,
    llm_json            TEXT    NOT NULL DEFAULT '{}',
    created_at          TEXT    NOT NULL,
    UNIQUE (guild_id, name_key)
);

CREATE TABLE wrestlers (
    id             INTEGER PRIMARY KEY,
    federation_id  INTEGER NOT NULL REFERENCES federations (id) ON DELETE CASCADE,
    owner_user_id  INTEGER NOT NULL DEFAULT 0,
    name           TEXT    NOT NULL COLLATE NOCASE,
    name_key       TEXT    NOT NULL,
    role           TEXT    NOT NULL,
    gimmick        TEXT    NOT NULL DEFAULT '',
    alignment      TEXT    NOT NULL,
    style          TEXT    NOT NULL,
    power          INTEGER NOT NULL CHECK (power BETWEEN 1 AND 100),
    technique      INTEGER NOT NULL CHECK (technique BETWEEN 1 AND 100),
    agility        INTEGER NOT NULL CHECK (agility BETWEEN 1 AND 100),
    charisma       INTEGER NOT NULL CHECK (charisma BETWEEN 1 AND 100),
    toughness      INTEGER NOT NULL CHECK (toughness BETWEEN 1 AND 100),
    finisher       TEXT    NOT NULL,
    signatures_json TEXT   NOT NULL DEFAULT '[]',
    popularity     INTEGER NOT NULL CHECK (popularity BETWEEN 0 AND 100),
    momentum       INTEGER NOT NULL CHECK (momentum BETWEEN 0 AND 100),
    controller     TEXT    NOT NULL,
    llm_json       TEXT    NOT NULL DEFAULT '{}',
    wins           INTEGER NOT NULL DEFAULT 0,
    losses         INTEGER NOT NULL DEFAULT 0,
    draws          INTEGER NOT NULL DEFAULT 0,
    streak         INTEGER NOT NULL DEFAULT 0,
    injured_until  TEXT,
    created_at     TEXT    NOT NULL,
    UNIQUE (federation_id, name_key)
);

CREATE TABLE championships (
    id            INTEGER PRIMARY KEY,
    federation_id INTEGER NOT NULL REFERENCES federations (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL COLLATE NOCASE,
    name_key      TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    UNIQUE (federation_id, name_key)
);

CREATE TABLE shows (
    id                INTEGER PRIMARY KEY,
    federation_id     INTEGER NOT NULL REFERENCES federations (id) ON DELETE CASCADE,
    name              TEXT    NOT NULL COLLATE NOCASE,
    name_key          TEXT    NOT NULL,
    schedule_day      INTEGER CHECK (schedule_day BETWEEN 0 AND 6),
    schedule_time     TEXT,
    schedule_timezone TEXT,
    channel_id        INTEGER,
    status            TEXT    NOT NULL,
    rating            REAL,
    created_at        TEXT    NOT NULL,
    UNIQUE (federation_id, name_key),
    CHECK ((schedule_day IS NULL) = (schedule_time IS NULL)
           AND (schedule_day IS NULL) = (schedule_timezone IS NULL))
);

CREATE TABLE matches (
    id               INTEGER PRIMARY KEY,
    federation_id    INTEGER NOT NULL REFERENCES federations (id) ON DELETE CASCADE,
    show_id          INTEGER REFERENCES shows (id) ON DELETE SET NULL,
    stipulation      TEXT    NOT NULL,
    mode             TEXT    NOT NULL,
    booked_winner_id INTEGER,
    championship_id  INTEGER REFERENCES championships (id) ON DELETE SET NULL,
    seed             INTEGER NOT NULL CHECK (seed >= 0),
    max_ticks        INTEGER NOT NULL,
    status           TEXT    NOT NULL
                     CHECK (status IN ('booked', 'live', 'finished', 'cancelled')),
    result_json      TEXT,
    rating           REAL,
    channel_id       INTEGER,
    thread_id        INTEGER,
    message_id       INTEGER,
    setup_json       TEXT,
    last_tick        INTEGER NOT NULL DEFAULT 0,  -- the committed state pointer
    posted_tick      INTEGER NOT NULL DEFAULT 0,  -- the last tick the publisher delivered
    created_at       TEXT    NOT NULL,
    CHECK (status = 'booked' OR status = 'cancelled' OR setup_json IS NOT NULL)
);

CREATE TABLE match_participants (
    match_id    INTEGER NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    slot        INTEGER NOT NULL,
    wrestler_id INTEGER NOT NULL,
    PRIMARY KEY (match_id, slot),
    UNIQUE (match_id, wrestler_id)
);

CREATE TABLE match_ticks (
    match_id     INTEGER NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    time_index   INTEGER NOT NULL CHECK (time_index >= 1),
    tick_id      TEXT    NOT NULL,
    actor_id     INTEGER NOT NULL,
    applied_json TEXT    NOT NULL,
    state_json   TEXT    NOT NULL,
    narration    TEXT    NOT NULL DEFAULT '',
    phase        TEXT    NOT NULL,
    heat         REAL    NOT NULL,
    PRIMARY KEY (match_id, time_index)
) WITHOUT ROWID;

CREATE TABLE engine_requests (
    request_id      TEXT    PRIMARY KEY,
    match_id        INTEGER NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    agent_id        INTEGER NOT NULL,
    due_tick        INTEGER NOT NULL,
    deadline_s      REAL    NOT NULL,
    controller      TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'answered', 'fallback')),
    response_json   TEXT,
    fallback_reason TEXT,
    context_json    TEXT
);

CREATE TABLE title_reigns (
    id              INTEGER PRIMARY KEY,
    championship_id INTEGER NOT NULL REFERENCES championships (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    won_at          TEXT    NOT NULL,
    lost_at         TEXT,
    defences        INTEGER NOT NULL DEFAULT 0 CHECK (defences >= 0),
    won_in_match_id INTEGER REFERENCES matches (id) ON DELETE SET NULL,
    UNIQUE (championship_id, position)
);

CREATE TABLE title_reign_holders (
    reign_id    INTEGER NOT NULL REFERENCES title_reigns (id) ON DELETE CASCADE,
    slot        INTEGER NOT NULL,
    wrestler_id INTEGER NOT NULL,
    PRIMARY KEY (reign_id, slot)
);

CREATE TABLE promos (
    id            INTEGER PRIMARY KEY,
    federation_id INTEGER NOT NULL REFERENCES federations (id) ON DELETE CASCADE,
    show_id       INTEGER REFERENCES shows (id) ON DELETE SET NULL,
    rounds        INTEGER NOT NULL,
    status        TEXT    NOT NULL,
    lines_json    TEXT    NOT NULL DEFAULT '[]',
    heat          REAL,
    rating        REAL,
    seed          INTEGER NOT NULL DEFAULT 0 CHECK (seed >= 0),
    created_at    TEXT    NOT NULL
);

CREATE TABLE promo_participants (
    promo_id    INTEGER NOT NULL REFERENCES promos (id) ON DELETE CASCADE,
    slot        INTEGER NOT NULL,
    wrestler_id INTEGER NOT NULL,
    PRIMARY KEY (promo_id, slot),
    UNIQUE (promo_id, wrestler_id)
);

CREATE TABLE segments (
    show_id    INTEGER NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL CHECK (position >= 0),
    kind       TEXT    NOT NULL CHECK (kind IN ('match', 'promo')),
    match_id   INTEGER REFERENCES matches (id) ON DELETE CASCADE,
    promo_id   INTEGER REFERENCES promos (id) ON DELETE CASCADE,
    main_event INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (show_id, position),
    CHECK ((kind = 'match' AND match_id IS NOT NULL AND promo_id IS NULL)
        OR (kind = 'promo' AND promo_id IS NOT NULL AND match_id IS NULL))
);

CREATE TABLE hints (
    id             INTEGER PRIMARY KEY,
    federation_id  INTEGER NOT NULL REFERENCES federations (id) ON DELETE CASCADE,
    scope          TEXT    NOT NULL CHECK (scope IN ('federation', 'show', 'match', 'wrestler')),
    target_id      INTEGER NOT NULL,
    text           TEXT    NOT NULL,
    author_user_id INTEGER NOT NULL,
    created_at     TEXT    NOT NULL,
    expires_at     TEXT
);

CREATE TABLE feuds (
    wrestler_low_id  INTEGER NOT NULL REFERENCES wrestlers (id) ON DELETE CASCADE,
    wrestler_high_id INTEGER NOT NULL REFERENCES wrestlers (id) ON DELETE CASCADE,
    heat             REAL    NOT NULL DEFAULT 0 CHECK (heat BETWEEN 0 AND 100),
    PRIMARY KEY (wrestler_low_id, wrestler_high_id),
    CHECK (wrestler_low_id < wrestler_high_id)
) WITHOUT ROWID;

CREATE TABLE events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT    NOT NULL,
    federation_id INTEGER REFERENCES federations (id) ON DELETE CASCADE,
    match_id      INTEGER REFERENCES matches (id) ON DELETE CASCADE,
    tick          INTEGER,
    actor_user_id INTEGER,
    payload_json  TEXT    NOT NULL DEFAULT '{}',
    at            TEXT    NOT NULL
);

-- Indexes on every foreign key (cascades would otherwise scan) and on the hot lookups.
CREATE INDEX wrestlers_by_federation ON wrestlers (federation_id);
CREATE INDEX championships_by_federation ON championships (federation_id);
CREATE INDEX shows_by_federation ON shows (federation_id);
CREATE INDEX matches_by_federation ON matches (federation_id, status);
CREATE INDEX matches_by_show ON matches (show_id);
CREATE INDEX matches_by_championship ON matches (championship_id);
CREATE INDEX matches_live ON matches (status) WHERE status = 'live';
CREATE INDEX match_participants_by_wrestler ON match_participants (wrestler_id);
CREATE INDEX engine_requests_by_match ON engine_requests (match_id, due_tick);
CREATE INDEX title_reigns_by_match ON title_reigns (won_in_match_id);
CREATE INDEX title_reign_holders_by_wrestler ON title_reign_holders (wrestler_id);
CREATE INDEX promos_by_federation ON promos (federation_id);
CREATE INDEX promos_by_show ON promos (show_id);
CREATE INDEX promo_participants_by_wrestler ON promo_participants (wrestler_id);
CREATE INDEX segments_by_match ON segments (match_id);
CREATE INDEX segments_by_promo ON segments (promo_id);
CREATE INDEX hints_by_target ON hints (federation_id, scope, target_id);
CREATE INDEX feuds_by_high ON feuds (wrestler_high_id);
CREATE INDEX events_by_federation ON events (federation_id, kind);
CREATE INDEX events_by_match ON events (match_id, kind);
