package io.etcdj.server.v3;

import io.grpc.Status;
import java.util.Locale;

/** gRPC codes as Go's {@code codes.Code.String()} spells them, which clients and dashboards see. */
public final class GoGrpcCodes {
    private GoGrpcCodes() {}

    /** PERMISSION_DENIED: "PermissionDenied"; CANCELLED: "Canceled" (Go's spelling); OK: "OK". */
    public static String name(Status.Code code) {
        switch (code) {
            case OK:
                return "OK";
            case CANCELLED:
                return "Canceled";
            default:
                StringBuilder b = new StringBuilder();
                for (String part : code.name().split("_")) {
                    b.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
                }
                return b.toString();
        }
    }
}
