package io.etcdj.etcdutl;

/** etcdutl's exit statuses (shared with etcdctl's). */
final class ExitCodes {
    static final int ERROR = 1;
    /** A Go panic. */
    static final int PANIC = 2;
    static final int BAD_FEATURE = 4;
    static final int BAD_ARGS = 128;

    private ExitCodes() {}
}
