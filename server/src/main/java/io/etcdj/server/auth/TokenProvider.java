package io.etcdj.server.auth;

/**
 * How a member turns an applied Authenticate into a token and a client's token back into a
 * user: etcd's "simple" tokens ({@link SimpleTokens}, state kept in memory on every member) or
 * signed JWTs ({@link JwtTokens}, no state: every member holding the same keys verifies them).
 * Chosen by --auth-token ({@link AuthTokenSpec}).
 *
 * <p>Thread-safe: tokens are assigned on the applier thread and resolved on gRPC threads.
 */
public interface TokenProvider {
    /** A random part the proposer puts into the raft request (simple tokens; ignored by JWT). */
    String newPrefix();

    /**
     * The token of the Authenticate applied at raft {@code index} for {@code user} while the auth
     * store was at {@code authRevision}; {@code prefix} is the proposer's {@link #newPrefix}.
     */
    String assign(String prefix, long index, String user, long authRevision);

    /**
     * The raft index this member must have applied before it can resolve {@code token} (0: none);
     * -1 when the token cannot be one of this provider's.
     */
    long appliedIndexNeeded(String token);

    /**
     * The caller the token names, or null when it is unknown, forged or expired.
     * {@code storeRevision} is the auth store's revision now (what a simple token is checked at;
     * a JWT carries the revision it was issued at).
     */
    Caller caller(String token, long storeRevision);

    /** Drops every token of the user (deleted, or its password changed), where tokens are kept. */
    void invalidateUser(String user);

    /** Drops every token (auth disabled), where tokens are kept. */
    void clear();
}
