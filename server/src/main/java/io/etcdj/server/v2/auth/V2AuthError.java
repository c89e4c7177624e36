package io.etcdj.server.v2.auth;

/**
 * An answer of the v2 auth API other than success: an HTTP status and the message etcd puts in
 * {@code {"message":"..."}}. Store-level refusals carry etcd's "auth: " prefix; request-shape
 * errors ({@link #badRequest}) do not.
 */
public final class V2AuthError extends RuntimeException {
    private final int status;

    private V2AuthError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() { return status; }

    /** An error of the auth store ("auth: " + text). */
    static V2AuthError of(int status, String text) {
        return new V2AuthError(status, "auth: " + text);
    }

    static V2AuthError conflict(String text) { return of(409, text); }

    static V2AuthError notFound(String text) { return of(404, text); }

    static V2AuthError forbidden(String text) { return of(403, text); }

    /** A malformed request, answered before the store is asked (no "auth: " prefix). */
    public static V2AuthError badRequest(String message) {
        return new V2AuthError(400, message);
    }
}
