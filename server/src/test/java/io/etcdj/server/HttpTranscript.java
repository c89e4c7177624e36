package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.gateway.ReferenceEtcd;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One side of a side-by-side HTTP scenario (the reference etcd or ours): each call is sent to
 * this side's client port and appended to the transcript as one line — method, path, status,
 * Content-Type, how the body was framed (a length, chunks, or neither) and the body with what
 * differs honestly between two clusters masked (member,
 * cluster and lease IDs, raft terms, ports, member names; /health's "reason", which ours gives as
 * etcd 3.5 does). Two sides that answered alike have
 * equal transcripts.
 */
final class HttpTranscript {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;
    private final StringBuilder lines = new StringBuilder();

    HttpTranscript(int port) {
        this.port = port;
    }

    /** The calls of a scenario, made on one side; returns that side's transcript. */
    @FunctionalInterface
    interface Scenario {
        HttpTranscript play(HttpTranscript side) throws IOException, InterruptedException;
    }

    /**
     * Plays {@code scenario} on a fresh one-member reference etcd and then on a fresh member of
     * ours (under {@code dir}), both with the v2 API when {@code enableV2}, and asserts that both
     * transcripts are the same.
     */
    static void assertSameOnBoth(Path dir, boolean enableV2, Scenario scenario) throws Exception {
        String[] flags = enableV2 ? new String[] {"--enable-v2"} : new String[0];
        try (ReferenceEtcd reference = new ReferenceEtcd(flags);
             EtcdCluster ours = EtcdCluster.start(dir, 1, 10_000, 5_000, s -> s.withEnableV2(enableV2))) {
            ours.awaitLeader(Duration.ofSeconds(20));
            HttpTranscript etcd = scenario.play(new HttpTranscript(reference.clientPort));
            HttpTranscript our = scenario.play(new HttpTranscript(URI.create(ours.clientUrl(0)).getPort()));
            assertThat(our.toString()).isEqualTo(etcd.toString());
        }
    }

    /** Sends a request, notes its answer, and returns the raw body (for IDs the next steps need). */
    String call(String method, String path, String contentType, String body, String... headerPairs)
            throws IOException, InterruptedException {
        HttpResponse<String> r = send(method, path, contentType, body, headerPairs);
        lines.append(method).append(' ').append(path.replaceAll("/[0-9a-f]{5,16}$", "/<id>")).append(" -> ")
                .append(r.statusCode()).append(' ').append(r.headers().firstValue("Content-Type").orElse("-"))
                .append(r.headers().firstValue("Grpc-Metadata-Content-Type").isPresent() ? " +grpc-metadata" : "")
                .append(r.headers().firstValue("X-Content-Type-Options").isPresent() ? " +nosniff" : "")
                .append(' ').append(framing(r)).append(' ').append(masked(r.body())).append('\n');
        return r.body();
    }

    /** Sends a request without noting it (a step whose answer holds values that differ, such as IDs). */
    String quietly(String method, String path, String contentType, String body, String... headerPairs)
            throws IOException, InterruptedException {
        return send(method, path, contentType, body, headerPairs).body();
    }

    /** Notes a line of the caller's own (a fact drawn from an answer whose body differs honestly). */
    void note(String line) {
        lines.append(line).append('\n');
    }

    /** {@code headerPairs}: name, value, name, value, ... */
    private HttpResponse<String> send(String method, String path, String contentType, String body,
            String... headerPairs) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            b.header(headerPairs[i], headerPairs[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String framing(HttpResponse<String> r) {
        if (r.headers().firstValue("Transfer-Encoding").filter("chunked"::equalsIgnoreCase).isPresent()) {
            return "[chunked]";
        }
        return r.headers().firstValue("Content-Length").isPresent() ? "[length]" : "[no length]";
    }

    private static String masked(String body) {
        return body.replaceAll("\"(ID|id|cluster_id|member_id|raft_term|lease)\":\"[0-9a-f]+\"", "\"$1\":<id>")
                .replaceAll("removed: [0-9a-f]+", "removed: <id>")
                .replaceAll(",\"reason\":\"[^\"]*\"", "")
                .replaceAll("127\\.0\\.0\\.1:[0-9]+", "127.0.0.1:<port>")
                .replaceAll("\"name\":\"[^\"]*\"", "\"name\":<name>");
    }

    @Override
    public String toString() {
        return lines.toString();
    }
}
