-- Issue 11: a user whose password the server generated at first start must change it before
-- anything else; setting a new password clears the mark.
ALTER TABLE app_user ADD COLUMN password_change_required BOOLEAN NOT NULL DEFAULT FALSE;
