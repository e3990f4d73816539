-- Issue 11: a user whose password the server generated at first start must change it before
-- anything else; setting a new password clears the mark. 1 when required, 0 otherwise.
ALTER TABLE app_user ADD COLUMN password_change_required INTEGER NOT NULL DEFAULT 0
    CHECK (password_change_required IN (0, 1));
