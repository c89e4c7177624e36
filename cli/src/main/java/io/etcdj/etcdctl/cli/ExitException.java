package io.etcdj.etcdctl.cli;

/** Ends the current invocation with an exit code (etcdctl's os.Exit), after output was written. */
public final class ExitException extends RuntimeException {
    private final int code;

    public ExitException(int code) {
        super(null, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
