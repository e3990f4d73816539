package com.anycontact.innolicense.store;

/** The database could not be opened, read or written: broken infrastructure, not an outcome. */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Wraps the cause of the failure. */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
