package io.etcdj.server.gateway;

import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The responses of etcd 3.4's gateway other than a stream: headers in the order Go writes them
 * (a handler's header map sorted by name; the CORS headers come from etcd's default "*" CORS
 * policy on the client port), bodies as grpc-gateway v1 renders them.
 */
final class GatewayReplies {
    private GatewayReplies() {
    }

    static List<Map.Entry<String, String>> cors() {
        return List.of(
                Map.entry("Access-Control-Allow-Headers", "accept, content-type, authorization"),
                Map.entry("Access-Control-Allow-Methods", "POST, GET, OPTIONS, PUT, DELETE"),
                Map.entry("Access-Control-Allow-Origin", "*"));
    }

    /** A successful unary answer. */
    static GatewayHttpResponse json(String body) {
        List<Map.Entry<String, String>> h = new ArrayList<>(cors());
        h.add(Map.entry("Content-Type", "application/json"));
        h.add(Map.entry("Grpc-Metadata-Content-Type", "application/grpc"));
        return new GatewayHttpResponse(200, h, body.getBytes(StandardCharsets.UTF_8), List.of());
    }

    /** The request body could not be decoded; answered before any gRPC call, so no trailer. */
    static GatewayHttpResponse decodeError(String message, Status.Code code) {
        List<Map.Entry<String, String>> h = new ArrayList<>(cors());
        h.add(Map.entry("Content-Type", "application/json"));
        return new GatewayHttpResponse(GrpcHttpStatus.of(code), h, errorBody(message, code.value()), List.of());
    }

    /** The gRPC call failed: its status as JSON, with the gRPC content type as an HTTP trailer. */
    static GatewayHttpResponse grpcError(Status status) {
        List<Map.Entry<String, String>> h = new ArrayList<>(cors());
        h.add(Map.entry("Content-Type", "application/json"));
        h.add(Map.entry("Trailer", "Grpc-Trailer-Content-Type"));
        String message = status.getDescription() == null ? "" : status.getDescription();
        return new GatewayHttpResponse(GrpcHttpStatus.of(status.getCode()), h,
                errorBody(message, status.getCode().value()),
                List.of(Map.entry("Grpc-Trailer-Content-Type", "application/grpc")));
    }

    /** Go's http.Error: a text line with its newline. */
    static GatewayHttpResponse plainText(int status, String text) {
        List<Map.Entry<String, String>> h = new ArrayList<>(cors());
        h.add(Map.entry("Content-Type", "text/plain; charset=utf-8"));
        h.add(Map.entry("X-Content-Type-Options", "nosniff"));
        return new GatewayHttpResponse(status, h, (text + "\n").getBytes(StandardCharsets.UTF_8), List.of());
    }

    /** {"error":...,"message":...,"code":...}; empty fields are left out as jsonpb does. */
    static byte[] errorBody(String message, int code) {
        StringBuilder out = new StringBuilder("{");
        if (!message.isEmpty()) {
            out.append("\"error\":");
            ProtoJsonWriter.string(message, out);
            out.append(",\"message\":");
            ProtoJsonWriter.string(message, out);
            out.append(',');
        }
        if (code != 0) {
            out.append("\"code\":").append(code).append(',');
        }
        if (out.length() > 1) {
            out.setLength(out.length() - 1);
        }
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * What grpc-gateway v1 writes when a server stream fails, before or after its first message:
     * unlike a message, with no newline after it.
     */
    static byte[] streamError(Status status) {
        int http = GrpcHttpStatus.of(status.getCode());
        StringBuilder out = new StringBuilder("{\"error\":{\"grpc_code\":").append(status.getCode().value())
                .append(",\"http_code\":").append(http);
        if (status.getDescription() != null && !status.getDescription().isEmpty()) {
            out.append(",\"message\":");
            ProtoJsonWriter.string(status.getDescription(), out);
        }
        out.append(",\"http_status\":");
        ProtoJsonWriter.string(GrpcHttpStatus.text(http), out);
        return out.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
