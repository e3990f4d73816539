package com.anycontact.innolicense.access;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where browser sessions are kept, by the digest of their ID ({@link TokenSecrets#digest}), never the ID itself:
 * in memory for the embedded server ({@link InMemorySessionStore}), in the cluster database for cluster nodes, so
 * that a session made on one node is valid on every node. {@link Sessions} decides when a session ends; a store
 * keeps what it is told and answers what it holds, ended sessions included until they are deleted.
 *
 * <p>Bounded: a store keeps at most a fixed number of sessions; {@link #create} makes room by deleting the ended
 * ones and then the least recently used ({@link StoredSession#lastSeenAt()}).
 */
public interface SessionStore {

    /**
     * Keeps a new session, first deleting the sessions ended at {@code now} when the store is full and then, if
     * still full, the least recently used.
     *
     * @param session the new session
     * @param now the current time, to tell which sessions have ended
     * @return the digests of the sessions deleted to make room
     */
    List<String> create(StoredSession session, Instant now);

    /** The session with this digest, ended or not, if it is still kept. */
    Optional<StoredSession> find(String digest);

    /**
     * Records a use of a session: moves its {@code lastSeenAt} and {@code expiresAt} on to the given instants,
     * never back, and only while it has not ended at {@code now}, so that a use never revives an ended session.
     *
     * @return {@code false} when the session is not kept or has ended
     */
    boolean touch(String digest, Instant lastSeenAt, Instant expiresAt, Instant now);

    /**
     * Deletes a session.
     *
     * @return {@code false} when it was not kept (another node may have deleted it first)
     */
    boolean delete(String digest);

    /**
     * Deletes every session of one principal.
     *
     * @param principalId the principal's {@link Principal#id()}, matched ignoring ASCII case
     * @return the digests of the sessions deleted
     */
    List<String> deleteAll(Principal.Kind kind, String principalId);

    /**
     * Deletes the sessions ended at {@code now}: those whose {@code expiresAt} is not after it.
     *
     * @return the digests of the sessions deleted
     */
    List<String> deleteEnded(Instant now);

    /** The number of sessions kept, ended ones not yet deleted included. */
    int size();
}
