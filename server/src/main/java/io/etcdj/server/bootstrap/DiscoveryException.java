package io.etcdj.server.bootstrap;

/**
 * Why joining through a discovery service failed. The message is etcd's text for the same
 * failure ("discovery: cluster is full", or a v2 error as "100: Key not found (/x) [6]"); the
 * reason decides what the caller does next (fall back to proxy, which warnings to print).
 */
public final class DiscoveryException extends Exception {
    /** The failures the caller treats differently. */
    public enum Reason {
        /** The first {@code size} registrations do not include this member. */
        FULL_CLUSTER,
        /** This member's ID was already registered (a previous, failed bootstrap). */
        DUPLICATE_ID,
        /** Two of the first {@code size} registrations use the same member name. */
        DUPLICATE_NAME,
        /** The service stayed unreachable through every retry. */
        TOO_MANY_RETRIES,
        /** Anything else: bad size, bad URL, an error answer from the service. */
        OTHER
    }

    public static final String FULL_CLUSTER_TEXT = "discovery: cluster is full";

    public static final String DUPLICATE_ID_TEXT = "discovery: found duplicate id";

    private final Reason reason;
    private final int v2ErrorCode;

    public DiscoveryException(Reason reason, String message) {
        this(reason, message, 0);
    }

    /** An error answer from the service's v2 API, with its errorCode. */
    DiscoveryException(Reason reason, String message, int v2ErrorCode) {
        super(message);
        this.reason = reason;
        this.v2ErrorCode = v2ErrorCode;
    }

    public static DiscoveryException other(String message) {
        return new DiscoveryException(Reason.OTHER, message);
    }

    public Reason reason() {
        return reason;
    }

    /** The v2 errorCode when the service answered with an error, else 0. */
    int v2ErrorCode() {
        return v2ErrorCode;
    }
}
