package com.anycontact.innolicense.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemsTest {

    private final Problems problems = new Problems(new ObjectMapper());

    /**
     * A request whose response Jetty has already recycled: every use of it throws, as in the flood of warnings seen
     * in CI. The catch-all handler must not throw in turn, or Javalin hands its exception back to the handlers for
     * ever (Javalin issue 2422).
     */
    @Test
    void theCatchAllHandler_onARequestWhoseResponseIsGone_throwsNothing() {
        List<String> used = new ArrayList<>();
        Context gone = (Context) Proxy.newProxyInstance(
                Context.class.getClassLoader(), new Class<?>[] {Context.class}, (proxy, method, args) -> {
                    used.add(method.getName());
                    throw new IllegalStateException("Response does not exist (likely recycled)");
                });

        assertThatCode(() -> problems.internalError(new IllegalStateException("late"), gone))
                .doesNotThrowAnyException();
        assertThat(used).isNotEmpty();
    }
}
