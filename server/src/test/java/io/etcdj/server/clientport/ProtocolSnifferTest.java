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
}
