package io.etcdj.robustness.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy between plain sockets: a client, the proxy, and an echo server. */
class PeerLinkProxyTest {

    private static final InetSocketAddress ANY_LOCAL = new InetSocketAddress("127.0.0.1", 0);

    private ServerSocket echo;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final LinkFault up = new LinkFault("client->server", 42);
    private final LinkFault down = new LinkFault("server->client", 43);
    private PeerLinkProxy proxy;

    @BeforeEach
    void startEchoServerAndProxy() throws IOException {
        echo = new ServerSocket();
        echo.bind(ANY_LOCAL);
        Thread t = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread w = new Thread(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException ignored) {
                            // client left
                        }
                    });
                    w.setDaemon(true);
                    w.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        proxy = PeerLinkProxy.fixed(ANY_LOCAL, (InetSocketAddress) echo.getLocalSocketAddress(), up, down);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        proxy.close();
        echo.close();
    }

    private Socket dial() throws IOException {
        Socket s = new Socket();
        s.connect(proxy.address(), 2_000);
        s.setSoTimeout(3_000);
        toClose.add(s);
        return s;
    }

    private static String roundTrip(Socket s, String message) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(message.getBytes(StandardCharsets.UTF_8));
        out.flush();
        byte[] buf = new byte[message.length()];
        InputStream in = s.getInputStream();
        int n = 0;
        while (n < buf.length) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                throw new IOException("closed after " + n + " bytes");
            }
            n += r;
        }
        return new String(buf, StandardCharsets.UTF_8);
    }

    @Test
    void passForwardsBytesBothWays() throws IOException {
        Socket s = dial();
        assertThat(roundTrip(s, "hello\r\n\r\n")).isEqualTo("hello\r\n\r\n");
        assertThat(roundTrip(s, "again")).isEqualTo("again");
    }

    @Test
    void blackholeSwallowsBytesAndHealingResetsTheCorruptConnection() throws IOException {
        Socket s = dial();
        assertThat(roundTrip(s, "before\r\n\r\n")).isEqualTo("before\r\n\r\n");

        up.blackhole();
        s.setSoTimeout(300);
        s.getOutputStream().write("lost".getBytes(StandardCharsets.UTF_8));
        try {
            int r = s.getInputStream().read();
            assertThat(r).as("nothing may come back through a blackhole").isEqualTo(-2);
        } catch (SocketTimeoutException expected) {
            // silence, as through a partition
        }

        up.heal();
        s.setSoTimeout(3_000);
        s.getOutputStream().write("x".getBytes(StandardCharsets.UTF_8));
        assertThat(readUntilClosed(s)).as("the corrupt connection is reset after healing").isTrue();

        assertThat(roundTrip(dial(), "after\r\n\r\n")).isEqualTo("after\r\n\r\n");
    }

    @Test
    void oneWayBlackholeOnTheReturnPathStillDeliversUpstream() throws IOException {
        down.blackhole();
        Socket s = dial();
        s.setSoTimeout(300);
        s.getOutputStream().write("ping\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        try {
            assertThat(s.getInputStream().read()).isEqualTo(-2);
        } catch (SocketTimeoutException expected) {
            // the echo was swallowed on the way back
        }
    }

    @Test
    void fixedDelayHoldsEachDirection() throws IOException {
        up.delay(150, 0);
        down.delay(100, 0);
        Socket s = dial();
        long start = System.nanoTime();
        assertThat(roundTrip(s, "slow\r\n\r\n")).isEqualTo("slow\r\n\r\n");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMillis).isGreaterThanOrEqualTo(250);
    }

    @Test
    void randomDelayKeepsByteOrder() throws IOException {
        up.delay(1, 20);
        Socket s = dial();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            String part = i + ",";
            expected.append(part);
            s.getOutputStream().write(part.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
        }
        byte[] buf = new byte[expected.length()];
        int n = 0;
        while (n < buf.length) {
            n += s.getInputStream().read(buf, n, buf.length - n);
        }
        assertThat(new String(buf, StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    }

    @Test
    void droppingEveryConnectionClosesThemAtOnce() throws IOException {
        up.dropConnections(1.0);
        Socket s = dial();
        s.getOutputStream().write("hi\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(readUntilClosed(s)).isTrue();
    }

    @Test
    void droppingChunksResetsTheConnection() throws IOException {
        Socket s = dial();
        assertThat(roundTrip(s, "fine\r\n\r\n")).isEqualTo("fine\r\n\r\n");
        up.dropChunks(1.0);
        s.getOutputStream().write("gone".getBytes(StandardCharsets.UTF_8));
        assertThat(readUntilClosed(s)).isTrue();
    }

    @Test
    void randomChoicesReplayFromTheSeed() {
        LinkFault a = new LinkFault("a", 7).dropChunks(0.5).delay(0, 100);
        LinkFault b = new LinkFault("b", 7).dropChunks(0.5).delay(0, 100);
        for (int i = 0; i < 100; i++) {
            assertThat(a.dropNextChunk()).isEqualTo(b.dropNextChunk());
            assertThat(a.nextDelayNanos()).isEqualTo(b.nextDelayNanos());
        }
    }

    @Test
    void theRouterSeesTheFirstBytesOfEachConnection() throws IOException {
        List<String> seen = new ArrayList<>();
        try (PeerLinkProxy sniffing = new PeerLinkProxy(ANY_LOCAL, (InetSocketAddress) echo.getLocalSocketAddress(),
                first -> {
                    synchronized (seen) {
                        seen.add(new String(first, StandardCharsets.UTF_8));
                    }
                    return new ConnectionRouter.Route(LinkFault.PASS, LinkFault.PASS);
                })) {
            try (Socket s = new Socket()) {
                s.connect(sniffing.address(), 2_000);
                s.setSoTimeout(3_000);
                String request = "GET /raftstream/message/abc HTTP/1.1\r\nX-Server-From: abc\r\n\r\n";
                assertThat(roundTrip(s, request)).isEqualTo(request);
            }
        }
        assertThat(seen).containsExactly("GET /raftstream/message/abc HTTP/1.1\r\nX-Server-From: abc\r\n\r\n");
    }

    /** @return true when the peer closed the connection (EOF or reset) before the read timeout */
    private static boolean readUntilClosed(Socket s) throws IOException {
        try {
            while (s.getInputStream().read() >= 0) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
