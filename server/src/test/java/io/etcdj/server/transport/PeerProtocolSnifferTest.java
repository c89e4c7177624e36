package io.etcdj.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/**
 * The sniffer's decision, byte by byte: gRPC's handlers behind it see nothing (no event, no byte)
 * until the HTTP/2 preface is complete; the first byte that leaves the preface makes the
 * connection HTTP/1.1 and the events held for gRPC are never delivered.
 */
class PeerProtocolSnifferTest {
    private static final String PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    private static final Object NEGOTIATION = "gRPC's protocol negotiation event";

    /** Records what reaches it: user events and the bytes, as text. */
    static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();
        final StringBuilder bytes = new StringBuilder();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            bytes.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
    }

    private final Recorder grpc = new Recorder();
    private final Recorder http = new Recorder();
    private final Recorder raft = new Recorder();
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new PeerProtocolSniffer(() -> new ChannelHandler[] {http}, () -> new ChannelHandler[] {raft}), grpc);

    private void receive(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    @Test
    void thePrefaceArrivingByteByByteGoesToGrpcAfterTheHeldEvent() {
        channel.pipeline().fireUserEventTriggered(NEGOTIATION);
        for (int i = 0; i < PREFACE.length() - 1; i++) {
            receive(PREFACE.substring(i, i + 1));
            assertThat(grpc.events).as("after %d bytes", i + 1).isEmpty();
            assertThat(grpc.bytes).isEmpty();
        }
        receive(PREFACE.substring(PREFACE.length() - 1) + "frames");
        assertThat(grpc.events).containsExactly(NEGOTIATION);
        assertThat(grpc.bytes.toString()).isEqualTo(PREFACE + "frames");
        assertThat(channel.pipeline().get(PeerProtocolSniffer.class)).as("the sniffer is gone").isNull();
        assertThat(http.bytes).isEmpty();
    }

    @Test
    void aRequestLineIsHttp11FromItsFirstDifferingByteAndGrpcNeverHearsOfIt() {
        channel.pipeline().fireUserEventTriggered(NEGOTIATION);
        receive("P");
        assertThat(http.bytes).as("'P' could still be the preface").isEmpty();
        receive("OST /raft HTTP/1.1\r\n");
        receive("\r\n");
        assertThat(http.bytes.toString()).isEqualTo("POST /raft HTTP/1.1\r\n\r\n");
        assertThat(http.events).isEmpty();
        assertThat(grpc.events).isEmpty();
        assertThat(grpc.bytes).isEmpty();
        assertThat(channel.pipeline().names().get(0)).as("the HTTP/1.1 handler took the sniffer's place")
                .startsWith("PeerProtocolSnifferTest$Recorder");
    }

    @Test
    void theRaftStreamPrefaceIsConsumedAndTheFramesGoToTheRaftStreamHandlers() {
        channel.pipeline().fireUserEventTriggered(NEGOTIATION);
        String preface = new String(RaftStreamWire.PREFACE, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < preface.length() - 1; i++) {
            receive(preface.substring(i, i + 1));
            assertThat(raft.bytes).as("after %d bytes", i + 1).isEmpty();
            assertThat(http.bytes).isEmpty();
        }
        receive(preface.substring(preface.length() - 1) + "frames");
        assertThat(raft.bytes.toString()).isEqualTo("frames");
        assertThat(raft.events).isEmpty();
        assertThat(grpc.events).as("gRPC never starts its HTTP/2 handshake").isEmpty();
        assertThat(grpc.bytes).isEmpty();
        assertThat(http.bytes).isEmpty();
    }

    @Test
    void aConnectionThatNeverSaysWhatItSpeaksIsClosed() {
        receive("PRI * HTTP");
        channel.advanceTimeBy(PeerProtocolSniffer.DECIDE_WITHIN_SECONDS - 1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aFailedTlsHandshakeIsPassedOnAtOnceSoGrpcClosesTheConnection() {
        SslHandshakeCompletionEvent failed = new SslHandshakeCompletionEvent(new SSLException("x"));
        channel.pipeline().fireUserEventTriggered(failed);
        channel.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        assertThat(grpc.events).containsExactly(failed);
    }

    @Test
    void preface() {
        assertThat(PeerProtocolSniffer.isPreface(Unpooled.copiedBuffer("PRI * HTTP/2.0", StandardCharsets.US_ASCII)))
                .isNull();
        assertThat(PeerProtocolSniffer.isPreface(Unpooled.copiedBuffer("PRI * HTTP/1.1", StandardCharsets.US_ASCII)))
                .isFalse();
        assertThat(PeerProtocolSniffer.isPreface(Unpooled.copiedBuffer(PREFACE, StandardCharsets.US_ASCII))).isTrue();
    }
}
