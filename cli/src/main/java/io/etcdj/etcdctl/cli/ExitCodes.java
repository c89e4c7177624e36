package io.etcdj.etcdctl.command;

/** etcdctl's exit codes. */
public final class ExitCodes {
    public static final int SUCCESS = 0;
    public static final int ERROR = 1;
    public static final int BAD_CONNECTION = 2;
    public static final int INVALID_INPUT = 3;
    public static final int BAD_FEATURE = 4;
    public static final int INTERRUPTED = 5;
    public static final int IO = 6;
    public static final int BAD_ARGS = 128;

    private ExitCodes() {}
}
