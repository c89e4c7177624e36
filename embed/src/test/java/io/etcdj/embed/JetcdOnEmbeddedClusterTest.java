package io.etcdj.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcdj.embed.junit.EtcdClusterExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The example of the README: a project that uses jetcd tests against a real three-member etcd
 * running in its own JVM, no Docker, no etcd binary. One cluster serves every test of the class.
 */
class JetcdOnEmbeddedClusterTest {
    private static final long WAIT_SECONDS = 20;

    @RegisterExtension
    static final EtcdClusterExtension etcd = new EtcdClusterExtension(EmbeddedEtcdCluster.builder().members(3)
            .flag("heartbeat-interval", "25").flag("election-timeout", "250")); // etcd's 100/1000 ms work too, slower

    @Test
    void aValuePutThroughOneMemberIsReadThroughEveryMember() throws Exception {
        try (Client writer = Client.builder().endpoints(etcd.cluster().member(0).clientEndpoint()).build()) {
            writer.getKVClient().put(bs("greeting"), bs("hello")).get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 3; i++) {
            try (Client reader = Client.builder().endpoints(etcd.cluster().member(i).clientEndpoint()).build()) {
                var kvs = reader.getKVClient().get(bs("greeting")).get(WAIT_SECONDS, TimeUnit.SECONDS).getKvs();
                assertThat(kvs).as("read through m%d", i + 1).hasSize(1);
                assertThat(kvs.get(0).getValue().toString(StandardCharsets.UTF_8)).isEqualTo("hello");
            }
        }
    }

    @Test
    void aWatcherSeesEveryPutUnderItsPrefixInOrder() throws Exception {
        try (Client client = Client.builder().endpoints(etcd.clientEndpoints().toArray(URI[]::new)).build()) {
            KV kv = client.getKVClient();
            long start = kv.get(bs("any")).get(WAIT_SECONDS, TimeUnit.SECONDS).getHeader().getRevision() + 1;
            BlockingQueue<String> seen = new LinkedBlockingQueue<>();
            try (Watch.Watcher watcher = client.getWatchClient().watch(bs("jobs/"),
                    WatchOption.builder().isPrefix(true).withRevision(start).build(),
                    r -> r.getEvents().forEach(e -> seen.add(e.getEventType() + " "
                            + e.getKeyValue().getKey().toString(StandardCharsets.UTF_8) + "="
                            + e.getKeyValue().getValue().toString(StandardCharsets.UTF_8))))) {
                kv.put(bs("jobs/1"), bs("queued")).get(WAIT_SECONDS, TimeUnit.SECONDS);
                kv.put(bs("other"), bs("ignored")).get(WAIT_SECONDS, TimeUnit.SECONDS);
                kv.put(bs("jobs/1"), bs("done")).get(WAIT_SECONDS, TimeUnit.SECONDS);
                kv.delete(bs("jobs/1")).get(WAIT_SECONDS, TimeUnit.SECONDS);
                for (String expected : new String[] {"PUT jobs/1=queued", "PUT jobs/1=done", "DELETE jobs/1="}) {
                    assertThat(seen.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void theClusterAnswersWithAllThreeMembers() throws Exception {
        try (Client client = Client.builder().endpoints(etcd.clientEndpoints().toArray(URI[]::new)).build()) {
            var members = client.getClusterClient().listMember().get(WAIT_SECONDS, TimeUnit.SECONDS).getMembers();
            assertThat(members).extracting(m -> m.getName()).containsExactlyInAnyOrder("m1", "m2", "m3");
            assertThat(members).extracting(m -> m.getClientURIs().get(0))
                    .containsExactlyInAnyOrderElementsOf(etcd.clientEndpoints());
        }
    }

    private static ByteSequence bs(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
