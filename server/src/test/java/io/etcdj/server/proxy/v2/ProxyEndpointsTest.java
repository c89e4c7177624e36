package io.etcdj.server.proxy.v2;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.config.StartupLog;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The proxy's endpoint list: shuffled on refresh, a failed endpoint out for exactly the failure wait. */
class ProxyEndpointsTest {
    private static final List<String> URLS = List.of("http://127.0.0.1:1", "http://127.0.0.2:2", "http://127.0.0.3:3");

    private final AtomicLong now = new AtomicLong(1_000);
    private final ProxyEndpoints endpoints = new ProxyEndpoints(Duration.ofSeconds(5), now::get, new Random(7),
            StartupLog.NONE);

    private List<String> available() {
        return endpoints.available().stream().map(Object::toString).toList();
    }

    @Test
    void aFailedEndpointIsLeftOutForTheFailureWaitThenOfferedAgain() {
        endpoints.replace(URLS);
        List<String> order = available();
        assertThat(order).containsExactlyInAnyOrderElementsOf(URLS);

        endpoints.markFailed(endpoints.available().get(0));
        assertThat(available()).isEqualTo(order.subList(1, 3));
        now.addAndGet(Duration.ofSeconds(5).toNanos() - 1);
        assertThat(available()).isEqualTo(order.subList(1, 3));
        now.addAndGet(1);
        assertThat(available()).isEqualTo(order);
    }

    @Test
    void aRefreshBringsEveryEndpointBackAndDropsInvalidUrls() {
        endpoints.replace(URLS);
        endpoints.available().forEach(endpoints::markFailed);
        assertThat(available()).isEmpty();

        endpoints.replace(List.of("http://127.0.0.1:1", "not a url", "http://127.0.0.2:2"));
        assertThat(available()).containsExactlyInAnyOrder("http://127.0.0.1:1", "http://127.0.0.2:2");
        endpoints.replace(List.of());
        assertThat(available()).isEmpty();
    }

    @Test
    void theShuffleSpreadsProxiesOverTheMembers() {
        Set<String> firsts = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            endpoints.replace(URLS);
            firsts.add(available().get(0));
        }
        assertThat(firsts).hasSize(3); // seeded: some refresh puts each member first
    }
}
