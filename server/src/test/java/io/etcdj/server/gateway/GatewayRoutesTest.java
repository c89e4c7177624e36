package io.etcdj.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The routes read from the proto annotations are exactly the paths etcd 3.4 documents in its
 * swagger files (installed with the reference etcd), under both served prefixes.
 */
class GatewayRoutesTest {
    private static final Path SWAGGER = Path.of("/usr/share/doc/etcd-server/dev-guide/apispec/swagger");

    @Test
    void routesAreTheSwaggerPathsOfEtcd34() throws IOException {
        TreeSet<String> documented = new TreeSet<>();
        for (String f : new String[] {"rpc.swagger.json.gz", "v3lock.swagger.json.gz", "v3election.swagger.json.gz"}) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(SWAGGER.resolve(f)))) {
                Matcher m = Pattern.compile("\n    \"/v3(/[^\"]+)\": \\{").matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                while (m.find()) {
                    documented.add(m.group(1));
                }
            }
        }
        GatewayRoutes routes = GatewayRoutes.etcd();
        assertThat(new TreeSet<>(routes.all().keySet())).isEqualTo(documented).hasSize(48);
    }

    @Test
    void theThreeKvLeaseAliasesReachTheLeaseService() {
        GatewayRoutes routes = GatewayRoutes.etcd();
        for (String op : new String[] {"revoke", "timetolive", "leases"}) {
            assertThat(routes.find("/v3/kv/lease/" + op).method())
                    .isSameAs(routes.find("/v3/lease/" + op).method());
        }
    }

    @Test
    void bothPrefixesOfEtcd34AreServedButNotTheRetiredAlpha() {
        GatewayRoutes routes = GatewayRoutes.etcd();
        assertThat(routes.find("/v3/kv/range").method().getFullMethodName()).isEqualTo("etcdserverpb.KV/Range");
        assertThat(routes.find("/v3beta/kv/range")).isSameAs(routes.find("/v3/kv/range"));
        assertThat(routes.find("/v3alpha/kv/range")).isNull();
        assertThat(JsonGateway.handles("/v3alpha/kv/range")).isFalse();
        assertThat(JsonGateway.handles("/v3beta/anything")).isTrue();
    }

    @Test
    void streamingKindsComeFromTheGrpcMethodTypes() {
        GatewayRoutes routes = GatewayRoutes.etcd();
        assertThat(routes.find("/v3/watch").clientStreaming()).isTrue();
        assertThat(routes.find("/v3/lease/keepalive").serverStreaming()).isTrue();
        assertThat(routes.find("/v3/maintenance/snapshot").clientStreaming()).isFalse();
        assertThat(routes.find("/v3/maintenance/snapshot").serverStreaming()).isTrue();
        assertThat(routes.find("/v3/election/observe").serverStreaming()).isTrue();
        assertThat(routes.find("/v3/kv/put").serverStreaming()).isFalse();
    }
}
