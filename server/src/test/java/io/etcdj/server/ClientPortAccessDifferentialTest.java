package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.clientport.AccessPolicy;
import io.etcdj.server.gateway.HttpReply;
import io.etcdj.server.gateway.RawHttp;
import io.etcdj.server.gateway.ReferenceEtcd;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's access controller on the client port, side by side with the reference etcd 3.4: the CORS
 * headers --cors gives each Origin, the 200 every OPTIONS request gets, and the 421 a plain-HTTP
 * request naming a host off --host-whitelist gets, on the v2, v3 gateway, health and version paths;
 * and the gateway's paths with --enable-grpc-gateway=false.
 * Each answer's status and CORS headers are compared; refusals and OPTIONS answers whole.
 */
class ClientPortAccessDifferentialTest {
    private static final List<String> PATHS = List.of("/version", "/health", "/debug/vars", "/v2/keys/", "/v2/keys/dir/key",
            "/v3/kv/range", "/no/such/path");
    private static final List<String> ORIGINS = List.of("", "http://a.example:80", "http://a.example",
            "http://c.example:80");

    @TempDir
    Path dir;

    @Test
    void aCorsListAndAHostWhitelistAnswerAsEtcdDoes() throws Exception {
        String[] flags = {"--enable-v2", "--cors=http://a.example:80,http://b.example:80",
                "--host-whitelist=good.example,127.0.0.1"};
        AccessPolicy policy = new AccessPolicy(Set.of("http://a.example:80", "http://b.example:80"),
                Set.of("good.example", "127.0.0.1"));
        try (ReferenceEtcd reference = new ReferenceEtcd(flags);
             EtcdCluster ours = EtcdCluster.start(dir, 1, 10_000, 5_000,
                     s -> s.withEnableV2(true).withClientAccess(policy))) {
            ours.awaitLeader(Duration.ofSeconds(20));
            compareAll(reference.clientPort, port(ours), List.of("", "good.example", "good.example:2379",
                    "bad.example", "bad.example:2379", "[::1]:2379"));
        }
    }

    @Test
    void theDefaultsAdmitEveryOriginAndHostAndAnswerOptions() throws Exception {
        try (ReferenceEtcd reference = new ReferenceEtcd("--enable-v2");
             EtcdCluster ours = EtcdCluster.start(dir, 1, 10_000, 5_000, s -> s.withEnableV2(true))) {
            ours.awaitLeader(Duration.ofSeconds(20));
            compareAll(reference.clientPort, port(ours), List.of("", "anything.example:99"));
        }
    }

    @Test
    void withoutTheGatewayItsPathsAreNotFound() throws Exception {
        try (ReferenceEtcd reference = new ReferenceEtcd("--enable-v2", "--enable-grpc-gateway=false");
             EtcdCluster ours = EtcdCluster.start(dir, 1, 10_000, 5_000,
                     s -> s.withEnableV2(true).withGrpcGateway(false))) {
            ours.awaitLeader(Duration.ofSeconds(20));
            HttpReply range = RawHttp.exchange(port(ours), "POST", "/v3/kv/range", List.of(), "{\"key\":\"YQ==\"}");
            assertThat(range.status()).isEqualTo(404);
            compareAll(reference.clientPort, port(ours), List.of(""));
        }
    }

    private static void compareAll(int referencePort, int ourPort, List<String> hosts) throws IOException {
        List<String> differences = new ArrayList<>();
        int compared = 0;
        for (String host : hosts) {
            for (String origin : ORIGINS) {
                for (String path : PATHS) {
                    for (String method : List.of("GET", "OPTIONS")) {
                        List<Map.Entry<String, String>> headers = new ArrayList<>();
                        if (!host.isEmpty()) {
                            headers.add(Map.entry("Host", host));
                        }
                        if (!origin.isEmpty()) {
                            headers.add(Map.entry("Origin", origin));
                        }
                        String want = seen(RawHttp.exchange(referencePort, method, path, headers, null), method);
                        String got = seen(RawHttp.exchange(ourPort, method, path, headers, null), method);
                        compared++;
                        if (!want.equals(got)) {
                            differences.add(method + " " + path + " host=" + host + " origin=" + origin
                                    + "\n--- etcd:\n" + want + "\n--- ours:\n" + got);
                        }
                    }
                }
            }
        }
        assertThat(compared).isEqualTo(hosts.size() * ORIGINS.size() * PATHS.size() * 2);
        assertThat(differences).as("answers that differ from etcd's").isEmpty();
    }

    /** What is compared: the whole answer for OPTIONS and refusals, else the status and CORS headers. */
    private static String seen(HttpReply r, String method) {
        if (method.equals("OPTIONS") || r.status() == 421) {
            return r.transcript();
        }
        return r.statusLine() + "\n" + r.headers().stream().filter(h -> h.getKey().startsWith("Access-Control-"))
                .map(h -> h.getKey() + ": " + h.getValue()).collect(Collectors.joining("\n"));
    }

    private static int port(EtcdCluster c) {
        return URI.create(c.clientUrl(0)).getPort();
    }
}
