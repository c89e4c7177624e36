package io.etcdj.benchmark.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Locale;

/**
 * The text under which a failed request is counted in the "Error distribution" block: etcd's own
 * message for an etcd error ("etcdserver: ..."), otherwise Go gRPC's "rpc error: code = X desc = Y".
 */
public final class ErrorText {
    private ErrorText() {}

    public static String of(Throwable t) {
        Status st = Status.fromThrowable(t);
        String desc = st.getDescription() == null ? "" : st.getDescription();
        if (desc.startsWith("etcdserver: ") || desc.startsWith("mvcc: ") || desc.startsWith("auth: ")) {
            return desc;
        }
        if (st.getCode() == Status.Code.UNKNOWN && !(t instanceof StatusRuntimeException) && st.getCause() != null) {
            return String.valueOf(st.getCause());
        }
        return "rpc error: code = " + goCodeName(st.getCode()) + " desc = " + desc;
    }

    /** Go's name of a gRPC code: DEADLINE_EXCEEDED becomes DeadlineExceeded. */
    static String goCodeName(Status.Code code) {
        if (code == Status.Code.OK) {
            return "OK";
        }
        StringBuilder b = new StringBuilder();
        for (String part : code.name().split("_")) {
            b.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }
}
