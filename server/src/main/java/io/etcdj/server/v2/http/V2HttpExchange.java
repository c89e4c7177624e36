package io.etcdj.server.v2.http;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request and the means to answer it; implemented by a transport adapter
 * ({@link NettyV2HttpServer}) and by tests. A handler either calls {@link #respond} once, or
 * {@link #startStream} once and then writes parts to the returned stream.
 * Handlers may block (watches do), so adapters must not call them on an I/O thread.
 */
public interface V2HttpExchange {
    String method();

    /** The request path, percent-decoded, without the query. */
    String path();

    /** The raw (still encoded) query string, or "" when absent. */
    String rawQuery();

    /** The first value of a request header (case-insensitive), or null. */
    String header(String name);

    /** The request path as sent (still percent-encoded), without the query. */
    default String rawPath() {
        return path();
    }

    /** Every request header line in arrival order (names as sent). */
    default List<Map.Entry<String, String>> headers() {
        return List.of();
    }

    /** The client's IP address as text, or "" when unknown. */
    default String remoteIp() {
        return "";
    }

    /**
     * The subject CNs of the client's certificate chain, leaf first; empty over plain HTTP or when
     * the client sent no certificate.
     */
    default List<String> clientCertificateNames() {
        return List.of();
    }

    byte[] body();

    void respond(V2HttpResponse response);

    /** Sends status and headers now (chunked body follows); {@code response.body()} is ignored. */
    ResponseStream startStream(V2HttpResponse response);

    /** False once the client has gone away. */
    boolean isOpen();

    /** The body of a streamed response. */
    interface ResponseStream {
        /** Sends one part at once; throws when the client is gone. */
        void write(byte[] part) throws IOException;

        /** Ends the body. */
        void end();
    }
}
