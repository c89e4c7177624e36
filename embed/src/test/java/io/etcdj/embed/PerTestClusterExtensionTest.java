package io.etcdj.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.embed.junit.EtcdClusterExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension on an instance field: every test gets a cluster of its own. Each test creates the
 * same key only if it does not exist yet; both succeed only if no cluster is shared.
 */
class PerTestClusterExtensionTest {
    @RegisterExtension
    final EtcdClusterExtension etcd = new EtcdClusterExtension(EmbeddedEtcdCluster.builder()
            .flag("heartbeat-interval", "10").flag("election-timeout", "100"));

    @Test
    void firstTestCreatesTheKey() throws Exception {
        assertThat(createIfAbsent()).contains("\"succeeded\":true");
    }

    @Test
    void secondTestCreatesTheSameKeyInItsOwnCluster() throws Exception {
        assertThat(createIfAbsent()).contains("\"succeeded\":true");
    }

    /** A txn through the JSON gateway: put "bGVhc2U=" only if its version is 0. */
    private String createIfAbsent() throws Exception {
        String txn = "{\"compare\":[{\"key\":\"bGVhc2U=\",\"target\":\"VERSION\",\"result\":\"EQUAL\",\"version\":\"0\"}],"
                + "\"success\":[{\"requestPut\":{\"key\":\"bGVhc2U=\",\"value\":\"MQ==\"}}]}";
        HttpRequest request = HttpRequest.newBuilder(etcd.clientEndpoints().get(0).resolve("/v3/kv/txn"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(txn)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
