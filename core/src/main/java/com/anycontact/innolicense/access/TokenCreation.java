package com.anycontact.innolicense.access;

/** The outcome of creating an API token: the token and its secret, or what was wrong with the request. */
public sealed interface TokenCreation permits CreatedToken, InvalidInput {}
