package io.etcdj.etcdctl.cli;

/** The exit statuses of etcdctl (v3) and etcdutl: cobrautl's codes, and Go's for a panic. */
public final class ExitCodes {
    public static final int SUCCESS = 0;
    public static final int ERROR = 1;
    public static final int BAD_CONNECTION = 2;
    /** A Go panic (the runtime's exit status after printing the trace); the same number as BAD_CONNECTION. */
    public static final int GO_PANIC = 2;
    public static final int INVALID_INPUT = 3;
    public static final int BAD_FEATURE = 4;
    public static final int INTERRUPTED = 5;
    public static final int IO = 6;
    public static final int BAD_ARGS = 128;

    private ExitCodes() {}
}
