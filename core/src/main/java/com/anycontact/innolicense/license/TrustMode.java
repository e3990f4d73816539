package com.anycontact.innolicense.license;

/** Whether a server trusts only the vendor's built-in keys, or also keys given for development. */
public enum TrustMode {
    /** Only the vendor's production public keys, built into the server, are trusted. */
    PRODUCTION,
    /**
     * Keys given with {@code --development-trust} are trusted besides the built-in ones: an evaluation or
     * development installation, marked as such everywhere.
     */
    DEVELOPMENT
}
