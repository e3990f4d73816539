package com.anycontact.innolicense.demo;

/** The demo could not set its server up: the server refused a step, or could not be reached. */
public final class DemoSetupFailed extends RuntimeException {

    DemoSetupFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
