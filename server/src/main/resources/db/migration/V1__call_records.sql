-- Call records. Portable SQL: this file runs unchanged on H2 (the embedded default) and on
-- PostgreSQL 15, so keep to standard types (BIGINT epoch milliseconds, VARCHAR, INTEGER) and
-- standard DDL. Enum-like columns hold the protocol's wire names (audio, hangup, missed, …).
-- Id and user columns are 128 characters: Limits.MAX_USER_LENGTH and MAX_ROOM_LENGTH.

-- One row per ended call. Rows are immutable: a record is written once, and a retried write of
-- the same call id leaves the first one as it is.
CREATE TABLE calls (
    call_id     VARCHAR(128) NOT NULL,
    caller      VARCHAR(128) NOT NULL,
    media       VARCHAR(16)  NOT NULL,
    created_at  BIGINT       NOT NULL,
    answered_at BIGINT,
    ended_at    BIGINT       NOT NULL,
    end_reason  VARCHAR(32)  NOT NULL,
    ended_by    VARCHAR(128),
    duration_ms BIGINT       NOT NULL,
    room_id     VARCHAR(128),
    CONSTRAINT calls_pk PRIMARY KEY (call_id)
);

-- The admin search pages through all calls newest first. (A caller's calls are found through
-- call_participants_history_idx: every index costs each recorded call a B-tree insert. Call ids
-- begin with their creation time, so the keys by call id, too, grow at their end.)
CREATE INDEX calls_created_idx ON calls (created_at DESC, call_id DESC);

-- One row per user who took part, the caller included (role 'caller', outcome 'outgoing'), so a
-- user's history (or a caller's calls) is one range scan of call_participants_history_idx. created_at is copied from
-- calls for that index; position keeps the invitees in invite order (the caller is 0).
CREATE TABLE call_participants (
    call_id    VARCHAR(128) NOT NULL,
    user_id    VARCHAR(128) NOT NULL,
    role       VARCHAR(16)  NOT NULL,
    outcome    VARCHAR(16)  NOT NULL,
    position   INTEGER      NOT NULL,
    created_at BIGINT       NOT NULL,
    CONSTRAINT call_participants_pk PRIMARY KEY (call_id, user_id),
    CONSTRAINT call_participants_call_fk FOREIGN KEY (call_id) REFERENCES calls (call_id) ON DELETE CASCADE,
    CONSTRAINT call_participants_role_ck CHECK (role IN ('caller', 'invitee'))
);

CREATE INDEX call_participants_history_idx ON call_participants (user_id, created_at DESC, call_id DESC);

-- When each user's latest session ended; missed calls are counted from there. Only ever moves
-- forward (the upsert keeps the larger value).
CREATE TABLE sign_offs (
    user_id       VARCHAR(128) NOT NULL,
    signed_off_at BIGINT       NOT NULL,
    CONSTRAINT sign_offs_pk PRIMARY KEY (user_id)
);
