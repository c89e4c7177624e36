package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.mvcc.lease.LessorConfig;
import io.etcdj.server.config.EtcdConfigParser;
import io.etcdj.server.config.StartupLog;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --experimental-enable-lease-checkpoint[-persist] reach the lessor of the member. */
class LessorSettingsTest {
    private static LessorConfig lessorOf(String... args) throws Exception {
        return EtcdMember.lessorConfig(MemberSettings.from(EtcdConfigParser.parse(args, Map.of(), StartupLog.NONE)));
    }

    @Test
    void withoutTheFlagsTheLessorNeverCheckpoints() throws Exception {
        LessorConfig c = lessorOf();
        assertThat(c.checkpointing()).isFalse();
        assertThat(c.checkpointPersist()).isFalse();
        assertThat(c.minTtlSeconds()).isEqualTo(2);
    }

    @Test
    void theLeaderCheckpointsEveryFiveMinutesWithTheFlag() throws Exception {
        LessorConfig c = lessorOf("--experimental-enable-lease-checkpoint");
        assertThat(c.checkpointInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.checkpointPersist()).isFalse();
    }

    @Test
    void checkpointsArePersistedWithBothFlags() throws Exception {
        LessorConfig c = lessorOf("--experimental-enable-lease-checkpoint",
                "--experimental-enable-lease-checkpoint-persist");
        assertThat(c.checkpointing()).isTrue();
        assertThat(c.checkpointPersist()).isTrue();
    }
}
