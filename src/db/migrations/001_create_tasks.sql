-- Tasks belong to one user (the verified token's sub); every query filters on user_id.
CREATE TABLE tasks (
  id uuid PRIMARY KEY,
  user_id text NOT NULL CHECK (char_length(user_id) BETWEEN 1 AND 255),
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  description text CHECK (char_length(description) <= 2000),
  is_completed boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
  updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp())
);

-- Serves the newest-first, keyset-paginated list of one user's tasks.
CREATE INDEX tasks_user_newest ON tasks (user_id, created_at DESC, id DESC);
