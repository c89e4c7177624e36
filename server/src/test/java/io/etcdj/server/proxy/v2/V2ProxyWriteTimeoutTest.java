package io.etcdj.server.proxy.v2;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.etcdj.server.config.StartupLog;
import io.etcdj.server.v2.http.V2HttpExchange;
import io.etcdj.server.v2.http.V2HttpResponse;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --proxy-write-timeout} against a member that accepts connections but never reads (as a
 * SIGSTOPped member's kernel does): a PUT whose body cannot all be written fails after the
 * timeout, the member is marked failed and the next endpoint answers; with the member alone, the
 * client gets etcd's 502. Measured against etcd 3.4.23 with the same silent socket: a 20 MB PUT
 * ended after the 1 s write timeout with {@code 502 {"message":"httpproxy: unable to get response
 * from 1 endpoint(s)"}} (a small PUT, which fits the socket buffers, waits for the answer instead).
 */
class V2ProxyWriteTimeoutTest {
    private static final Duration WRITE_TIMEOUT = Duration.ofMillis(300);
    /** Far more than the loopback socket buffers of both ends can hold. */
    private static final int BIG_BODY = 32 << 20;
    private static final long ANSWER_WITHIN_SECONDS = 20;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void aMemberThatStopsReadingFailsTheWriteAndTheNextEndpointAnswers() throws Exception {
        String silent = silentMember();
        String working = workingMember();
        AtomicLong now = new AtomicLong();
        ProxyEndpoints endpoints = new ProxyEndpoints(Duration.ofSeconds(5), now::get, new Random(1), StartupLog.NONE);
        endpoints.replace(List.of(silent, working));
        // the shuffle is seeded; the scenario needs the silent member tried first
        assertThat(endpoints.available().get(0).url.toString()).isEqualTo(silent);
        V2ReverseProxy proxy = proxy(endpoints, WRITE_TIMEOUT);

        V2HttpResponse answer = put(proxy, BIG_BODY);

        assertThat(answer.status()).isEqualTo(201);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("took " + BIG_BODY + " bytes");
        assertThat(endpoints.available()).extracting(e -> e.url.toString()).containsExactly(working);
    }

    @Test
    void withOnlyTheSilentMemberTheClientGetsEtcds502() throws Exception {
        ProxyEndpoints endpoints = new ProxyEndpoints(Duration.ofSeconds(5), System::nanoTime, new Random(1),
                StartupLog.NONE);
        endpoints.replace(List.of(silentMember()));
        V2ReverseProxy proxy = proxy(endpoints, WRITE_TIMEOUT);

        long start = System.nanoTime();
        V2HttpResponse answer = put(proxy, BIG_BODY);

        assertThat(answer.status()).isEqualTo(502);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"message\":\"httpproxy: unable to get response from 1 endpoint(s)\"}");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(WRITE_TIMEOUT);
        assertThat(endpoints.available()).isEmpty();
    }

    @Test
    void aMemberThatReadsGetsTheWholeBodyWhateverItsSize() throws Exception {
        ProxyEndpoints endpoints = new ProxyEndpoints(Duration.ofSeconds(5), System::nanoTime, new Random(1),
                StartupLog.NONE);
        endpoints.replace(List.of(workingMember()));
        V2ReverseProxy proxy = proxy(endpoints, WRITE_TIMEOUT);

        for (int size : List.of(1, WriteTimeoutBody.CHUNK_BYTES, WriteTimeoutBody.CHUNK_BYTES + 1, BIG_BODY)) {
            V2HttpResponse answer = put(proxy, size);
            assertThat(answer.status()).isEqualTo(201);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("took " + size + " bytes");
        }
    }

    private V2ReverseProxy proxy(ProxyEndpoints endpoints, Duration writeTimeout) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        V2ReverseProxy proxy = new V2ReverseProxy(endpoints, http, Duration.ZERO, writeTimeout, new V2ProxyMetrics(),
                StartupLog.NONE);
        open.add(proxy::close);
        return proxy;
    }

    /** A PUT of {@code size} bytes through {@code proxy}; its answer, which must come within the bound. */
    private static V2HttpResponse put(V2ReverseProxy proxy, int size) throws Exception {
        byte[] body = new byte[size];
        CompletableFuture<V2HttpResponse> answer = new CompletableFuture<>();
        V2HttpExchange ex = new V2HttpExchange() {
            @Override public String method() { return "PUT"; }
            @Override public String path() { return "/v2/keys/big"; }
            @Override public String rawQuery() { return ""; }
            @Override public String header(String name) { return null; }
            @Override public byte[] body() { return body; }
            @Override public void respond(V2HttpResponse r) { answer.complete(r); }
            @Override public ResponseStream startStream(V2HttpResponse r) { throw new AssertionError("not streamed"); }
            @Override public boolean isOpen() { return !answer.isDone(); }
        };
        CompletableFuture.runAsync(() -> proxy.handle(ex));
        return answer.get(ANSWER_WITHIN_SECONDS, TimeUnit.SECONDS);
    }

    /** A listening socket whose connections are accepted and never read; returns its URL. */
    private String silentMember() throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReceiveBufferSize(4096);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        List<Socket> held = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    Socket s = server.accept();
                    synchronized (held) {
                        held.add(s);
                    }
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "silent-member");
        acceptor.setDaemon(true);
        acceptor.start();
        open.add(() -> {
            server.close();
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
        });
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** A member that reads every request whole and answers 201 with the byte count; returns its URL. */
    private String workingMember() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            long n = ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
            byte[] out = ("took " + n + " bytes").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(201, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        open.add(() -> server.stop(0));
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
