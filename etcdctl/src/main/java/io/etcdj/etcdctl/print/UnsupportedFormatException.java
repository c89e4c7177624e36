package io.etcdj.etcdctl.print;

/** The chosen -w format cannot print this result (etcdctl exits with ExitBadFeature). */
public final class UnsupportedFormatException extends RuntimeException {
    public UnsupportedFormatException(String message) {
        super(message, null, false, false);
    }
}
