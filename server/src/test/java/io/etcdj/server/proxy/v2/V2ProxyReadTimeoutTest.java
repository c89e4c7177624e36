package io.etcdj.server.proxy.v2;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.config.StartupLog;
import io.etcdj.server.v2.http.V2HttpExchange;
import io.etcdj.server.v2.http.V2HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --proxy-read-timeout} bounds each read of a member's answer, as etcd's deadline before
 * each read does: a long-poll watch on which nothing happens for the timeout ends (etcd 3.4.23's
 * proxy with {@code --proxy-read-timeout 2000} ended a quiet {@code ?wait=true} after 2 s with the
 * member's 200 and an empty body), and so does a body the member stops sending halfway; a body
 * that keeps coming, however long in all, is relayed whole.
 */
class V2ProxyReadTimeoutTest {
    private static final long ANSWER_WITHIN_SECONDS = 20;

    private final List<AutoCloseable> open = new ArrayList<>();
    /** Released when the test ends, so that a member holding its answer lets go. */
    private final CountDownLatch testOver = new CountDownLatch(1);

    @AfterEach
    void closeAll() throws Exception {
        testOver.countDown();
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void aQuietWatchEndsAfterTheReadTimeout() throws Exception {
        Duration timeout = Duration.ofMillis(300);
        String member = member(out -> {
            out.write(head("Transfer-Encoding: chunked"));
            out.write(chunk("{\"first\":1}"));
            out.flush();
            testOver.await(); // then nothing more
        });
        long start = System.nanoTime();
        Streamed answer = stream(proxy(member, timeout), "/v2/keys/w");

        assertThat(answer.ended.get(ANSWER_WITHIN_SECONDS, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(String.join("", answer.parts)).isEqualTo("{\"first\":1}");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(timeout);
    }

    @Test
    void aBodyThatKeepsComingIsRelayedWholeThoughItTakesLongerThanTheTimeout() throws Exception {
        Duration timeout = Duration.ofMillis(1000);
        int parts = 15;
        Duration gap = Duration.ofMillis(100); // a tenth of the timeout: far from it even on a busy machine
        String member = member(out -> {
            out.write(head("Transfer-Encoding: chunked"));
            for (int i = 0; i < parts; i++) {
                out.write(chunk("part" + i + ";"));
                out.flush();
                testOver.await(gap.toMillis(), TimeUnit.MILLISECONDS); // paces the member, synchronises nothing
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        });
        long start = System.nanoTime();
        Streamed answer = stream(proxy(member, timeout), "/v2/keys/w");

        assertThat(answer.ended.get(ANSWER_WITHIN_SECONDS, TimeUnit.SECONDS)).isEqualTo(200);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < parts; i++) {
            expected.append("part").append(i).append(';');
        }
        assertThat(String.join("", answer.parts)).isEqualTo(expected.toString());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(timeout);
    }

    @Test
    void aBodyCutShortEndsWithWhatCameBeforeTheTimeout() throws Exception {
        String member = member(out -> {
            out.write(head("Content-Length: 100"));
            out.write("0123456789".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            testOver.await();
        });
        CompletableFuture<V2HttpResponse> answer = new CompletableFuture<>();
        V2ReverseProxy proxy = proxy(member, Duration.ofMillis(300));
        CompletableFuture.runAsync(() -> proxy.handle(exchange("/v2/keys/k", answer, null)));

        V2HttpResponse r = answer.get(ANSWER_WITHIN_SECONDS, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo("0123456789");
    }

    /** What the proxy streamed to the client: the parts, and the status once the stream ended. */
    private record Streamed(List<String> parts, CompletableFuture<Integer> ended) {}

    private Streamed stream(V2ReverseProxy proxy, String path) {
        Streamed s = new Streamed(new CopyOnWriteArrayList<>(), new CompletableFuture<>());
        CompletableFuture<V2HttpResponse> unused = new CompletableFuture<>();
        CompletableFuture.runAsync(() -> proxy.handle(exchange(path, unused, s)));
        return s;
    }

    private static V2HttpExchange exchange(String path, CompletableFuture<V2HttpResponse> whole, Streamed streamed) {
        return new V2HttpExchange() {
            @Override public String method() { return "GET"; }
            @Override public String path() { return path; }
            @Override public String rawQuery() { return ""; }
            @Override public String header(String name) { return null; }
            @Override public byte[] body() { return new byte[0]; }
            @Override public void respond(V2HttpResponse r) { whole.complete(r); }
            @Override public boolean isOpen() { return !whole.isDone() && (streamed == null || !streamed.ended.isDone()); }

            @Override
            public ResponseStream startStream(V2HttpResponse head) {
                return new ResponseStream() {
                    @Override
                    public void write(byte[] part) {
                        streamed.parts.add(new String(part, StandardCharsets.UTF_8));
                    }

                    @Override
                    public void end() {
                        streamed.ended.complete(head.status());
                    }
                };
            }
        };
    }

    private V2ReverseProxy proxy(String member, Duration readTimeout) {
        ProxyEndpoints endpoints = new ProxyEndpoints(Duration.ofSeconds(5), System::nanoTime, new Random(1),
                StartupLog.NONE);
        endpoints.replace(List.of(member));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        V2ReverseProxy proxy = new V2ReverseProxy(endpoints, http, readTimeout, Duration.ZERO, new V2ProxyMetrics(),
                StartupLog.NONE);
        open.add(proxy::close);
        return proxy;
    }

    private interface Answer {
        void write(OutputStream out) throws IOException, InterruptedException;
    }

    /** A member that reads one request's head and answers it with {@code answer}; returns its URL. */
    private String member(Answer answer) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                for (int matched = 0; matched < 4; ) { // up to the blank line ending the request head
                    int c = in.read();
                    if (c < 0) {
                        return;
                    }
                    matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : (c == '\r' ? 1 : 0);
                }
                answer.write(s.getOutputStream());
            } catch (IOException | InterruptedException e) {
                // the test is over
            }
        }, "member");
        t.setDaemon(true);
        t.start();
        open.add(server::close);
        return "http://127.0.0.1:" + ((InetSocketAddress) server.getLocalSocketAddress()).getPort();
    }

    private static byte[] head(String framing) {
        return ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + framing + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] chunk(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return (Integer.toHexString(b.length) + "\r\n" + text + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
