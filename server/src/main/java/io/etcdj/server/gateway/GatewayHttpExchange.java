package io.etcdj.server.gateway;

import java.util.List;
import java.util.Map;

/**
 * One HTTP request to the gateway and the means to answer it, independent of the HTTP server
 * ({@link NettyGatewayHttpServer} adapts Netty; tests may adapt anything). The gateway answers
 * either with one {@link #respond} or with one {@link #startStream} followed by parts.
 * The gateway never blocks in these calls, so an adapter may call it on an I/O thread.
 *
 * <p>Adapters add, after the headers the gateway gives and in this order, "Date", then
 * "Content-Length" (full responses without trailers) or "Transfer-Encoding: chunked" (streams
 * and responses with trailers), matching Go's net/http.
 */
public interface GatewayHttpExchange {
    String method();

    /** The request path without the query. */
    String path();

    /** The first value of a request header (case-insensitive), or null. */
    String header(String name);

    /** Every request header, in the order received. */
    List<Map.Entry<String, String>> headers();

    /** The whole request body (empty when none). */
    byte[] body();

    /** Why the body could not be read (Go's words, e.g. a broken chunked framing), or null. */
    default String bodyError() {
        return null;
    }

    /** Sends a complete response. */
    void respond(GatewayHttpResponse response);

    /** Sends status and headers now; the chunked body follows through the returned stream. */
    ResponseStream startStream(int status, List<Map.Entry<String, String>> headers);

    /** Runs {@code onGone} once when the client disconnects (at once if it already has). */
    void onClientGone(Runnable onGone);

    /** The body of a streamed response; calls come from one thread at a time. */
    interface ResponseStream {
        void write(byte[] part);

        void end();
    }
}
