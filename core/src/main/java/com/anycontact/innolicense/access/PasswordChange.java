package com.anycontact.innolicense.access;

/** The outcome of changing a user's password. */
public sealed interface PasswordChange permits PasswordChange.Changed, PasswordChange.UnknownUser, InvalidInput {

    /** The password was changed. */
    record Changed() implements PasswordChange {}

    /** There is no such user. */
    record UnknownUser() implements PasswordChange {}
}
