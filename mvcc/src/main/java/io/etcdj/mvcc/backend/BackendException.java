package io.etcdj.mvcc.backend;

/** A failure of the embedded store. After a failed commit the backend must be considered unusable. */
public final class BackendException extends RuntimeException {
    public BackendException(String what, Throwable cause) {
        super("backend: " + what + ": " + cause.getMessage(), cause);
    }

    /** A refusal with no underlying exception. */
    public BackendException(String what) {
        super("backend: " + what);
    }
}
