package io.etcdj.etcdctl.v2;

/** Unwinds a command to {@link V2Main} with the process exit status (Go's os.Exit). */
final class V2Exit extends RuntimeException {
    static final int SUCCESS = 0;
    static final int BAD_ARGS = 1;
    static final int BAD_CONNECTION = 2;
    static final int BAD_AUTH = 3;
    static final int SERVER_ERROR = 4;
    static final int CLUSTER_NOT_HEALTHY = 5;

    final int code;

    V2Exit(int code) {
        super(null, null, false, false);
        this.code = code;
    }
}
