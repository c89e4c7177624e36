package io.etcdj.server.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * etcd's "simple" tokens: the proposer picks a random prefix of 16 letters, and every member
 * stores prefix + "." + the raft index of the applied Authenticate for the user. A token expires
 * after the TTL (--auth-token-ttl) without use; every successful lookup renews it. Tokens live
 * only in memory (a restarted member forgets them, as etcd's do).
 *
 * <p>Thread-safe: assigned on the applier thread, looked up on gRPC threads.
 */
public final class SimpleTokens implements TokenProvider {
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final int PREFIX_LENGTH = 16;

    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Holder> tokens = new ConcurrentHashMap<>();

    private record Holder(String user, long expiresAtNanos) {}

    public SimpleTokens(Duration ttl, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    @Override
    public String newPrefix() {
        StringBuilder b = new StringBuilder(PREFIX_LENGTH);
        for (int i = 0; i < PREFIX_LENGTH; i++) {
            b.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
        }
        return b.toString();
    }

    public static String token(String prefix, long index) {
        return prefix + "." + index;
    }

    /** The raft index a well-formed token names (after its last "."), or -1. */
    public static long index(String token) {
        int dot = token.lastIndexOf('.');
        if (dot < 0) {
            return -1;
        }
        try {
            return Long.parseLong(token.substring(dot + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public void assign(String token, String user) {
        tokens.put(token, new Holder(user, nanoClock.getAsLong() + ttlNanos));
    }

    @Override
    public String assign(String prefix, long index, String user, long authRevision) {
        String token = token(prefix, index);
        assign(token, user);
        return token;
    }

    @Override
    public long appliedIndexNeeded(String token) {
        return index(token);
    }

    @Override
    public Caller caller(String token, long storeRevision) {
        String user = user(token);
        return user == null ? null : new Caller(user, storeRevision);
    }

    /** The token's user, renewing it; null if unknown or expired (an expired token is dropped). */
    public String user(String token) {
        long now = nanoClock.getAsLong();
        Holder h = tokens.get(token);
        if (h == null) {
            return null;
        }
        if (now - h.expiresAtNanos >= 0) {
            tokens.remove(token, h);
            return null;
        }
        tokens.replace(token, h, new Holder(h.user, now + ttlNanos));
        return h.user;
    }

    @Override
    public void invalidateUser(String user) {
        tokens.values().removeIf(h -> h.user.equals(user));
    }

    @Override
    public void clear() {
        tokens.clear();
    }
}
