package io.etcdj.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * How Go's net/http frames its answer to one request, which depends on the request's protocol:
 * an HTTP/1.0 request is answered with an "HTTP/1.0" status line, never chunked (a streamed body
 * is written raw and ended by closing the connection), and is kept open only when it asked for
 * "Connection: keep-alive" and the body has a length, which the answer then confirms; an HTTP/1.1
 * request is answered as 1.1, a streamed body chunked, with "Connection: close" when the client
 * asked to close.
 */
public record GoResponseFraming(HttpVersion version, boolean clientKeepsAlive) {
    /**
     * Go's net/http holds back the first 2048 bytes of a body: a handler that wrote more before it
     * returned, without setting Content-Length (etcd's handlers never set it), has its answer sent
     * without a length — streamed, as {@link #chunksStreams()} says.
     */
    public static final int BUFFERED_BODY_BYTES = 2048;

    /** Whether Go sends a whole body of {@code bodyBytes} without a Content-Length. */
    public static boolean sentWithoutLength(int bodyBytes) {
        return bodyBytes > BUFFERED_BODY_BYTES;
    }

    public static GoResponseFraming of(HttpRequest request) {
        HttpVersion v = request.protocolVersion();
        boolean http10 = v.majorVersion() == 1 && v.minorVersion() == 0;
        return new GoResponseFraming(http10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1,
                HttpUtil.isKeepAlive(request));
    }

    private boolean http10() {
        return version.equals(HttpVersion.HTTP_1_0);
    }

    /** Whether the connection stays open after an answer (streamed: without a known length). */
    public boolean keepsConnection(boolean streamed) {
        return clientKeepsAlive && !(streamed && http10());
    }

    /** Whether a streamed body goes out in chunks (else raw, ended by closing). */
    public boolean chunksStreams() {
        return !http10();
    }

    /** Adds Go's Connection header, if any; Go writes it after Date and Content-Length. */
    public void addConnectionHeader(HttpHeaders out, boolean streamed) {
        if (http10()) {
            if (keepsConnection(streamed)) {
                out.add("Connection", "keep-alive");
            }
        } else if (!clientKeepsAlive) {
            out.add("Connection", "close");
        }
    }
}
