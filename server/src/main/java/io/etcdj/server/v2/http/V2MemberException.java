package io.etcdj.server.v2.http;

/**
 * A refused membership change, answered as {@code {"message": ...}} with the HTTP status of its kind.
 * For {@link Kind#INTERNAL} the client sees "Internal Server Error" whatever the detail.
 */
public final class V2MemberException extends Exception {
    public enum Kind {
        /** ID or peer URL already in the cluster (409); message e.g. "membership: peerURL exists". */
        CONFLICT(409),
        /** No member with that ID (404); message "No such member: <id>". */
        NOT_FOUND(404),
        /** The member was removed before (410); message "Member permanently removed: <id>". */
        GONE(410),
        /** Anything else, including an unhealthy cluster refusing the change (500). */
        INTERNAL(500);

        final int status;

        Kind(int status) { this.status = status; }
    }

    private final Kind kind;

    public V2MemberException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() { return kind; }
}
