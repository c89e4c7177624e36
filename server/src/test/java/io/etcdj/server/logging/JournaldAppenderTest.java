package io.etcdj.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: etcd runs under systemd with --log-outputs=systemd/journal. Each entry reaches the
 * journal socket (here one the test binds) as one native-protocol datagram, with etcd's fields;
 * an entry too large for one datagram arrives with its message cut and marked; without a
 * journal, the same lines go to standard error.
 */
class JournaldAppenderTest {
    @TempDir
    Path dir;

    @Test
    void eachEntryIsOneDatagramWithEtcdsJournalFields() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "unix datagram sockets need Netty's epoll transport (Linux)");
        Path socket = dir.resolve("journal.socket");
        BlockingQueue<byte[]> datagrams = new LinkedBlockingQueue<>();
        EventLoopGroup group = new EpollEventLoopGroup(1);
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            Channel journal = bindJournal(group, socket, datagrams);
            LoggerContext context = new LoggerContext();
            JournaldAppender appender = new JournaldAppender(socket.toString(), new PrintStream(stderr, true));
            appender.setContext(context);
            appender.start();
            Logger logger = context.getLogger("io.etcdj.server.raft.RaftStateLog");
            logger.addAppender(appender);

            logger.atInfo().setMessage("elected leader 8e9e05c52164694d at term 2").addKeyValue("term", 2).log();
            logger.atWarn().setMessage("apply request took too long").log();

            Map<String, String> info = parse(datagrams.poll(10, TimeUnit.SECONDS));
            assertThat(info.keySet()).containsExactly("MESSAGE", "PRIORITY", "PACKAGE", "SYSLOG_IDENTIFIER");
            JsonObject line = JsonParser.parseString(info.get("MESSAGE")).getAsJsonObject();
            assertThat(line.get("level").getAsString()).isEqualTo("info");
            assertThat(line.get("msg").getAsString()).isEqualTo("elected leader 8e9e05c52164694d at term 2");
            assertThat(line.get("term").getAsInt()).isEqualTo(2);
            assertThat(info.get("PRIORITY")).isEqualTo("6");
            assertThat(info.get("PACKAGE")).isEqualTo("logging"); // the caller: this test's package
            assertThat(info.get("SYSLOG_IDENTIFIER")).isEqualTo("etcd");
            Map<String, String> warn = parse(datagrams.poll(10, TimeUnit.SECONDS));
            assertThat(warn.get("PRIORITY")).isEqualTo("4");
            assertThat(warn.get("MESSAGE")).contains("\"msg\":\"apply request took too long\"");
            assertThat(stderr.toString(StandardCharsets.UTF_8)).isEmpty();

            journal.close().sync(); // journald goes away: the next entry falls back
            logger.atError().setMessage("after the journal").log();
            assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("\"msg\":\"after the journal\"");
            appender.stop();
        } finally {
            group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void anEntryOverTheDatagramLimitArrivesWithItsMessageCutAndMarked() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "unix datagram sockets need Netty's epoll transport (Linux)");
        Path socket = dir.resolve("journal.socket");
        BlockingQueue<byte[]> datagrams = new LinkedBlockingQueue<>();
        EventLoopGroup group = new EpollEventLoopGroup(1);
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            bindJournal(group, socket, datagrams);
            LoggerContext context = new LoggerContext();
            int sendBuffer = 32 * 1024; // the kernel grants 64 KiB, so a datagram carries at most 32 KiB here
            JournaldAppender appender = new JournaldAppender(socket.toString(), new PrintStream(stderr, true), sendBuffer);
            appender.setContext(context);
            appender.start();
            Logger logger = context.getLogger("io.etcdj.server.v3.SlowRequestLog");
            logger.addAppender(appender);

            String hugeRequest = "é".repeat(100_000); // 200,000 bytes of two-byte characters: no cut may split one
            logger.atWarn().setMessage("apply request took too long").addKeyValue("request", hugeRequest).log();
            logger.atInfo().setMessage("the next entry is whole").addKeyValue("request", "x".repeat(10_000)).log();

            byte[] cut = datagrams.poll(10, TimeUnit.SECONDS);
            Map<String, String> fields = parse(cut);
            assertThat(cut.length).isLessThanOrEqualTo(sendBuffer);
            assertThat(fields.keySet()).containsExactly("MESSAGE", "PRIORITY", "PACKAGE", "SYSLOG_IDENTIFIER");
            assertThat(fields.get("PRIORITY")).isEqualTo("4");
            String message = fields.get("MESSAGE");
            assertThat(message).startsWith("{\"level\":\"warn\"").contains("\"msg\":\"apply request took too long\"")
                    .contains("ééé").doesNotContain("\uFFFD")
                    .matches("(?s).* \\.\\.\\. \\[etcdj truncated this message of 2\\d{5} bytes to fit one journal datagram\\]");
            Map<String, String> whole = parse(datagrams.poll(10, TimeUnit.SECONDS));
            JsonObject line = JsonParser.parseString(whole.get("MESSAGE")).getAsJsonObject();
            assertThat(line.get("request").getAsString()).isEqualTo("x".repeat(10_000));
            assertThat(stderr.toString(StandardCharsets.UTF_8)).isEmpty();
            appender.stop();
        } finally {
            group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void aMessageThatFitsIsNotCut() {
        assertThat(TruncatedMessage.fit("short", 5)).isEqualTo("short");
        String cut = TruncatedMessage.fit("x".repeat(1000), 200);
        assertThat(cut.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(200);
        assertThat(cut).startsWith("xxx").endsWith(TruncatedMessage.marker(1000));
    }

    /** A journal socket bound at {@code socket}, handing every datagram (up to 1 MiB) to {@code datagrams}. */
    private static Channel bindJournal(EventLoopGroup group, Path socket, BlockingQueue<byte[]> datagrams)
            throws InterruptedException {
        return new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(1024 * 1024))
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket packet) {
                        datagrams.add(ByteBufUtil.getBytes(packet.content()));
                    }
                }).bind(new DomainSocketAddress(socket.toString())).sync().channel();
    }

    @Test
    void withoutAJournalSocketTheLinesGoToStandardError() {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        JournaldAppender appender = new JournaldAppender(dir.resolve("absent.socket").toString(),
                new PrintStream(stderr, true));
        appender.setContext(context);
        appender.start();
        Logger logger = context.getLogger("x");
        logger.addAppender(appender);
        logger.info("no journal here");
        appender.stop();
        String out = stderr.toString(StandardCharsets.UTF_8);
        assertThat(out).endsWith("\n");
        assertThat(JsonParser.parseString(out.trim()).getAsJsonObject().get("msg").getAsString())
                .isEqualTo("no journal here");
    }

    @Test
    void aValueWithANewlineIsSentWithItsLength() {
        byte[] datagram = JournalFields.encode(List.of(Map.entry("MESSAGE", "two\nlines"), Map.entry("PRIORITY", "6")));
        assertThat(parse(datagram)).containsExactly(Map.entry("MESSAGE", "two\nlines"), Map.entry("PRIORITY", "6"));
        byte[] prefix = "MESSAGE\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(ByteBuffer.wrap(datagram, prefix.length, 8).order(ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(9);
    }

    /** journald's reading of a native-protocol datagram. */
    private static Map<String, String> parse(byte[] datagram) {
        assertThat(datagram).as("a datagram within 10 s").isNotNull();
        Map<String, String> fields = new LinkedHashMap<>();
        ByteBuffer in = ByteBuffer.wrap(datagram).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            int start = in.position();
            while (datagram[in.position()] != '=' && datagram[in.position()] != '\n') {
                in.get();
            }
            String name = new String(datagram, start, in.position() - start, StandardCharsets.US_ASCII);
            byte separator = in.get();
            String value;
            if (separator == '=') {
                int valueStart = in.position();
                while (datagram[in.position()] != '\n') {
                    in.get();
                }
                value = new String(datagram, valueStart, in.position() - valueStart, StandardCharsets.UTF_8);
            } else {
                int length = (int) in.getLong();
                value = new String(datagram, in.position(), length, StandardCharsets.UTF_8);
                in.position(in.position() + length);
            }
            assertThat(in.get()).as("the newline ending field %s", name).isEqualTo((byte) '\n');
            fields.put(name, value);
        }
        return fields;
    }
}
