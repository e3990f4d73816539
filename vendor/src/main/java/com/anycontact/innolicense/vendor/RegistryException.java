package com.anycontact.innolicense.vendor;

/** The registry file cannot be opened, read or written: broken infrastructure, not bad input. */
public final class RegistryException extends RuntimeException {

    RegistryException(String message, Throwable cause) {
        super(message, cause);
    }

    RegistryException(String message) {
        super(message);
    }
}
