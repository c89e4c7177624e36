package io.etcdj.server.gateway;

import com.google.protobuf.Message;
import io.etcdj.server.grpcgo.GoGrpcRefusals;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * etcd's v3 JSON gateway: turns a POST of JSON under /v3/ (or /v3beta/) into a call of the
 * matching gRPC method on a {@link Channel} and answers as etcd 3.4's grpc-gateway does, byte for
 * byte: same status codes, headers (in Go's order), JSON shapes and error texts.
 *
 * <ul>
 *   <li>Routes come from the protos' google.api.http annotations ({@link GatewayRoutes}).</li>
 *   <li>Unary: the first JSON value of the body is the request (an empty body is an empty
 *       request; bytes after the first value are ignored).</li>
 *   <li>Client streams (Watch, LeaseKeepAlive): every JSON value of the body is sent in order;
 *       an undecodable first value fails the request, a later one ends the sending side.</li>
 *   <li>Server streams: each response is written as one line {@code {"result":...}}; an error
 *       after the first response as {@code {"error":{...}}}.</li>
 *   <li>The "Authorization" header travels as the gRPC metadata "token".</li>
 * </ul>
 * Never blocks: all gRPC work is asynchronous, so it may run on an I/O thread.
 */
public final class JsonGateway {
    static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
    private static final String METADATA_PREFIX = "grpc-metadata-";

    private final Channel channel;
    private final int maxMessageBytes;
    private final GatewayRoutes routes = GatewayRoutes.etcd();

    /** Over a channel whose server enforces its own message limit (a network channel does). */
    public JsonGateway(Channel channel) {
        this(channel, Integer.MAX_VALUE);
    }

    /**
     * @param maxMessageBytes the gRPC server's inbound limit, enforced here because an in-process
     *     channel never serializes (etcd's gateway reaches its server over a socket, which does)
     */
    public JsonGateway(Channel channel, int maxMessageBytes) {
        this.channel = channel;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** True for the paths the gateway answers (everything under /v3/ and /v3beta/). */
    public static boolean handles(String path) {
        return GatewayRoutes.isGatewayPath(path);
    }

    public void handle(GatewayHttpExchange ex) {
        if (ex.method().equals("OPTIONS")) {
            ex.respond(new GatewayHttpResponse(200, GatewayReplies.cors(), new byte[0], List.of()));
            return;
        }
        GatewayRoute route = routes.find(ex.path());
        if (route == null) {
            ex.respond(GatewayReplies.plainText(404, "Not Found"));
            return;
        }
        if (!ex.method().equals("POST")) {
            ex.respond(GatewayReplies.plainText(405, "Method Not Allowed"));
            return;
        }
        if (ex.bodyError() != null) {
            ex.respond(GatewayReplies.decodeError(ex.bodyError(),
                    route.clientStreaming() ? Status.Code.UNKNOWN : Status.Code.INVALID_ARGUMENT));
            return;
        }
        GoJsonDecoder body = new GoJsonDecoder(ex.body());
        Message first;
        try {
            first = nextRequest(body, route);
        } catch (GoJsonException e) {
            // grpc-gateway wraps a unary decode failure as InvalidArgument; for a client stream
            // it passes the bare error on, which becomes Unknown (HTTP 500).
            ex.respond(GatewayReplies.decodeError(e.getMessage(),
                    route.clientStreaming() ? Status.Code.UNKNOWN : Status.Code.INVALID_ARGUMENT));
            return;
        }
        if (first == null) {
            first = route.clientStreaming() ? null : route.prototype();
        }
        if (first != null && first.getSerializedSize() > maxMessageBytes) {
            ex.respond(GatewayReplies.grpcError(Status.RESOURCE_EXHAUSTED.withDescription(
                    GoGrpcRefusals.receivedTooLarge(first.getSerializedSize(), maxMessageBytes))));
            return;
        }
        Metadata headers = callMetadata(ex);
        ClientCall<Message, Message> call = channel.newCall(route.method(), CallOptions.DEFAULT);
        if (route.serverStreaming()) {
            call.start(new StreamingReply(ex), headers);
            ex.onClientGone(() -> call.cancel("client gone", null));
        } else {
            call.start(new UnaryReply(ex), headers);
        }
        call.request(Integer.MAX_VALUE);
        if (first != null) {
            call.sendMessage(first);
            if (route.clientStreaming()) {
                try {
                    Message next;
                    while ((next = nextRequest(body, route)) != null) {
                        call.sendMessage(next);
                    }
                } catch (GoJsonException laterValueIsBad) {
                    // as grpc-gateway: a bad value after the first one just ends the sending side
                }
            }
        }
        call.halfClose();
    }

    private static Message nextRequest(GoJsonDecoder body, GatewayRoute route) throws GoJsonException {
        Object json = body.next();
        if (json == GoJsonDecoder.END) {
            return null;
        }
        Message.Builder b = route.prototype().newBuilderForType();
        ProtoJsonReader.merge(json, b);
        return b.build();
    }

    /** Answers a unary call: the response JSON, or the error body with a gRPC trailer. */
    private static final class UnaryReply extends ClientCall.Listener<Message> {
        private final GatewayHttpExchange ex;
        private Message response;

        UnaryReply(GatewayHttpExchange ex) {
            this.ex = ex;
        }

        @Override
        public void onMessage(Message message) {
            response = message;
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            if (status.isOk() && response != null) {
                ex.respond(GatewayReplies.json(ProtoJsonWriter.write(response)));
            } else {
                ex.respond(GatewayReplies.grpcError(status.isOk() ? Status.INTERNAL.withDescription("no response") : status));
            }
        }
    }

    /** Answers a server-streaming call as a chunked stream of {"result":...} lines. */
    private static final class StreamingReply extends ClientCall.Listener<Message> {
        private final GatewayHttpExchange ex;
        private GatewayHttpExchange.ResponseStream stream;

        StreamingReply(GatewayHttpExchange ex) {
            this.ex = ex;
        }

        private void open() {
            if (stream == null) {
                List<Map.Entry<String, String>> h = new ArrayList<>(GatewayReplies.cors());
                h.add(Map.entry("Content-Type", "application/json"));
                h.add(Map.entry("Grpc-Metadata-Content-Type", "application/grpc"));
                stream = ex.startStream(200, h);
            }
        }

        /**
         * The call ended before it sent headers (a trailers-only answer): grpc-gateway saw no
         * header metadata, so no Grpc-Metadata-Content-Type; a failure sets the HTTP status.
         */
        private void openWithoutHeaders(Status status) {
            List<Map.Entry<String, String>> h = new ArrayList<>(GatewayReplies.cors());
            h.add(Map.entry("Content-Type", "application/json"));
            stream = ex.startStream(status.isOk() ? 200 : GrpcHttpStatus.of(status.getCode()), h);
        }

        @Override
        public void onHeaders(Metadata headers) {
            open();
        }

        @Override
        public void onMessage(Message message) {
            open();
            stream.write(("{\"result\":" + ProtoJsonWriter.write(message) + "}\n").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            if (stream == null) {
                openWithoutHeaders(status);
            }
            if (!status.isOk() && status.getCode() != Status.Code.CANCELLED) {
                stream.write(GatewayReplies.streamError(status));
            }
            stream.end();
        }
    }

    /**
     * grpc-gateway's mapping of request headers to the call's metadata: "Authorization" becomes the
     * token, and each "Grpc-Metadata-NAME" header travels as metadata "name" (so a client can ask
     * for a leader with "Grpc-Metadata-Hasleader: true", or pass its token as "Grpc-Metadata-Token").
     */
    private static Metadata callMetadata(GatewayHttpExchange ex) {
        Metadata headers = new Metadata();
        String token = ex.header("Authorization");
        if (token != null) {
            headers.put(TOKEN, token);
        }
        for (Map.Entry<String, String> h : ex.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith(METADATA_PREFIX) && name.length() > METADATA_PREFIX.length()) {
                String key = name.substring(METADATA_PREFIX.length());
                if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX) && isMetadataKey(key)) {
                    headers.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), h.getValue());
                }
            }
        }
        return headers;
    }

    /** What gRPC allows as a metadata key (and is not one of HTTP/2's pseudo or reserved headers). */
    private static boolean isMetadataKey(String key) {
        if (key.startsWith("grpc-") || key.equals("te") || key.equals("content-type") || key.equals("user-agent")) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) {
                return false;
            }
        }
        return true;
    }

}
