package com.anycontact.innolicense.access;

/** The outcome of deleting a user. */
public enum UserDeletion {
    /** The user was deleted. */
    DELETED,
    /** There is no such user. */
    NOT_FOUND,
    /** The user is the last one with the role ADMIN, and is kept so that someone can still administer. */
    LAST_ADMIN
}
