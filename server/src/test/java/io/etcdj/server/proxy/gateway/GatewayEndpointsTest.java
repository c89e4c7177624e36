package io.etcdj.server.proxy.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The gateway's rotation, on a hand-driven clock: round-robin, a failed endpoint skipped for the retry delay. */
class GatewayEndpointsTest {
    private long now = 1_000;
    private final GatewayEndpoints endpoints = new GatewayEndpoints(List.of("a:1", "b:2", "c:3"), 60, () -> now);

    @Test
    void connectionsGoRoundRobin() {
        assertThat(List.of(next(), next(), next(), next())).containsExactly("a:1", "b:2", "c:3", "a:1");
    }

    @Test
    void aDeactivatedEndpointIsSkippedUntilItsRetryDelayHasPassed() {
        endpoints.deactivate("b:2");
        assertThat(List.of(next(), next(), next())).containsExactly("a:1", "c:3", "a:1");
        now += 59;
        assertThat(endpoints.isActive("b:2")).isFalse();
        now += 1;
        assertThat(List.of(next(), next())).containsExactly("b:2", "c:3");
    }

    @Test
    void withEveryEndpointDeactivatedThereIsNoneToOffer() {
        endpoints.all().forEach(endpoints::deactivate);
        assertThat(endpoints.next()).isEqualTo(Optional.empty());
        assertThat(endpoints.active()).isEmpty();
        now += 60;
        assertThat(endpoints.active()).containsExactly("a:1", "b:2", "c:3");
    }

    private String next() {
        return endpoints.next().orElseThrow();
    }
}
