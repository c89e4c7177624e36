package io.etcdj.etcdctl.v2;

import java.util.List;

/**
 * Every endpoint failed (client.ClusterError). Its message ends with a newline, and
 * {@link #detail()} lists each endpoint's error, one per line, as Go's client prints them.
 */
final class ClusterError extends Exception {
    private final List<String> errors;

    ClusterError(List<String> errors) {
        super(message(errors));
        this.errors = errors;
    }

    private static String message(List<String> errors) {
        StringBuilder b = new StringBuilder("client: etcd cluster is unavailable or misconfigured");
        for (int i = 0; i < errors.size(); i++) {
            b.append("; error #").append(i).append(": ").append(errors.get(i)).append('\n');
        }
        return b.toString();
    }

    /** Every endpoint failed to connect (Go's *net.OpError), rather than, say, in the TLS handshake. */
    boolean connectionFailure() {
        return errors.stream().allMatch(e -> e.startsWith("dial tcp "));
    }

    String detail() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < errors.size(); i++) {
            b.append("error #").append(i).append(": ").append(errors.get(i)).append('\n');
        }
        return b.toString();
    }
}
