package com.anycontact.innolicense.http;

import java.nio.ByteBuffer;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.FillInterest;
import org.eclipse.jetty.io.SelectableChannelEndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;

/**
 * Keeps the selector watching a connection for its next request while a seat call read from it is decided off the
 * selector, so that the call costs the selector no change of the connection's key.
 *
 * <p>Why: Jetty's selector drops a connection's read interest when it reads a request from it ({@code epoll_ctl}
 * removing the socket), and when the answer has been written the connection asks for it again ({@code epoll_ctl}
 * adding it). For a seat call, answered a millisecond later by the store's writer, those are two system calls per
 * call on the selector thread, which on a paravirtualized machine cost about as much as reading the request
 * (docs/benchmarks.md, where the time goes). A read interest registered while the selector still handles the
 * request, before it updates the key, leaves the key as it was: nothing is removed, so nothing is added.
 *
 * <p>The registration is only held while the call is decided: Jetty aborts a connection whose answer completes
 * while a read is registered on it, so it is withdrawn just before the answer is written ({@link #answerOn}). The
 * selector's interest stays; when the connection then asks for the next request, its own registration finds the
 * key watching already. When something arrives while the call is decided (a request sent before the answer, or
 * the end of the stream), the registration is used up and the selector stops watching; the connection reads it
 * after its answer, exactly as without this. Only plain sockets read on the selector are kept (not TLS, whose
 * connection reads through another end point), and only when the whole request has been read and nothing of a
 * next one is buffered: a request without a body, or with all of it read, or with {@code Content-Length: 0}
 * (whose end Jetty's parser marks only when the body is read or the answer complete).
 */
final class KeptReadInterest implements Callback {

    /** Handed to the registration when it is withdrawn; never thrown, so it carries no stack trace. */
    private static final Exception WITHDRAWAL =
            new Exception("read interest withdrawn before the answer", null, false, false) {};

    private final FillInterest fillInterest;
    /** Whether the registration is still in place: neither used up by the selector nor withdrawn. */
    private final AtomicBoolean registered = new AtomicBoolean(true);

    private KeptReadInterest(FillInterest fillInterest) {
        this.fillInterest = fillInterest;
    }

    /**
     * The response to answer the seat call on: when its decision is still to come and the selector reading its
     * request can go on watching the connection meanwhile, one that withdraws that before writing; otherwise the
     * response itself. Must be called on the thread that read the request, before anything is attached to {@code
     * decision} that could write the answer, and the answer written on what it returns.
     */
    static Response answerOn(Response response, Future<?> decision) {
        Request request = response.getRequest();
        if (decision.isDone()
                || !(request.getConnectionMetaData().getConnection() instanceof HttpConnection connection)
                || HttpConnection.getCurrentConnection() != connection
                || !(connection.getEndPoint() instanceof SelectableChannelEndPoint endPoint)
                || !connection.isRequestBufferEmpty()
                || !(connection.getParser().isComplete() || request.getLength() == 0)
                || !endPoint.isOpen()
                || endPoint.isInputShutdown()) {
            return response;
        }
        KeptReadInterest kept = new KeptReadInterest(endPoint.getFillInterest());
        if (!endPoint.tryFillInterested(kept)) {
            return response;
        }
        return new Response.Wrapper(request, response) {
            @Override
            public void write(boolean last, ByteBuffer content, Callback callback) {
                kept.withdraw();
                super.write(last, content, callback);
            }
        };
    }

    /** Takes the registration back, unless the selector used it up already. */
    private void withdraw() {
        if (registered.compareAndSet(true, false)) {
            fillInterest.onFail(WITHDRAWAL);
        }
    }

    /** Something arrived while the call was decided: the connection reads it after its answer. */
    @Override
    public void succeeded() {
        registered.set(false);
    }

    /** Withdrawn, or the connection closed: nothing to do here either way. */
    @Override
    public void failed(Throwable failure) {
        registered.set(false);
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }
}
