package io.etcdj.server.clientport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The sniffer's decision from a connection's first bytes. */
class ProtocolSnifferTest {
    private static Boolean decide(String firstBytes) {
        return ProtocolSniffer.isHttp2(Unpooled.copiedBuffer(firstBytes, StandardCharsets.US_ASCII));
    }

    @Test
    void theWholeHttp2PrefaceIsGrpc() {
        assertThat(decide("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")).isTrue();
        assertThat(decide("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\022\004")).isTrue();
    }

    @Test
    void aPrefixOfThePrefaceWaitsForMoreBytes() {
        assertThat(decide("P")).isNull();
        assertThat(decide("PRI * HTTP/2.0\r\n")).isNull();
    }

    @Test
    void http1MethodsAreHttp1AsSoonAsTheyDiffer() {
        assertThat(decide("PUT /v2/keys/a HTTP/1.1\r\n")).isFalse();
        assertThat(decide("PU")).isFalse();
        assertThat(decide("POST /v3/kv/range HTTP/1.1\r\n")).isFalse();
        assertThat(decide("GET /health HTTP/1.1\r\n")).isFalse();
        assertThat(decide("PRI * HTTP/1.1\r\n")).isFalse();
    }

    private static Boolean requestLine(String firstBytes) {
        return ProtocolSniffer.startsWithHttp1RequestLine(Unpooled.copiedBuffer(firstBytes, StandardCharsets.ISO_8859_1));
    }

    @Test
    void onPlaintextOnlyAnHttp1RequestLineIsHttp1AsWithCmux() {
        assertThat(requestLine("GET /health HTTP/1.1\r\n")).isTrue();
        assertThat(requestLine("GET /health HTTP/1.0\n")).isTrue();
        assertThat(requestLine("G\u00ffT version HTTP/1.7\r\n")).isTrue(); // Go's server refuses it later
        assertThat(requestLine("GET /health HTTP/1.1")).isNull(); // the line is not complete yet
        assertThat(requestLine("hello garbage\r\n")).isFalse();
        assertThat(requestLine("GET\r\n")).isFalse();
        assertThat(requestLine("GET / HTTP/2.0\r\n")).isFalse();
        assertThat(requestLine("GET / HTTP/1.1 extra\r\n")).isFalse();
        assertThat(requestLine("\r\n")).isFalse();
        assertThat(requestLine("GET /" + "k".repeat(5000) + " HTTP/1.1\r\n")).isFalse(); // past cmux's 4096-byte buffer
    }
}
