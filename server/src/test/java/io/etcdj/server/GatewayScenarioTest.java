package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.config.StartupLog;
import io.etcdj.server.proxy.gateway.TcpGateway;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The L4 gateway in front of a three-member cluster: Debian's etcdctl, knowing only the gateway,
 * does everything it does against a member; then a member dies and the clients carry on (the
 * gateway skips the dead member when it refuses connections).
 */
class GatewayScenarioTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void etcdctlWorksThroughTheGatewayAndAMemberDyingIsInvisible() throws Exception {
        ReferenceEtcdctl etcdctl = ReferenceEtcdctl.find();
        try (EtcdCluster c = EtcdCluster.start(dir, 3);
             TcpGateway gateway = new TcpGateway(IntStream.range(0, 3).mapToObj(i -> hostPort(c, i)).toList(),
                     Duration.ofMinutes(1), StartupLog.NONE)) {
            c.awaitLeader(WAIT);
            gateway.start(new InetSocketAddress("127.0.0.1", 0));
            String via = "127.0.0.1:" + gateway.address().getPort();

            EtcdctlThroughProxy.exercise(etcdctl, via);

            c.stopMember(0);
            c.awaitLeader(WAIT);
            // every new connection lands on a live member: the dead one is skipped after its refusal
            for (int i = 0; i < 6; i++) {
                assertThat(EtcdctlThroughProxy.withOneRetry(etcdctl, via, "put", "after-" + i, "v")).isEqualTo("OK\n");
            }
            assertThat(etcdctl.ok(via, "get", "after-", "--prefix", "--keys-only").lines().filter(l -> !l.isEmpty()).toList())
                    .isEqualTo(List.of("after-0", "after-1", "after-2", "after-3", "after-4", "after-5"));
        }
    }

    static String hostPort(EtcdCluster c, int i) {
        return c.clientUrl(i).replace("http://", "");
    }
}
