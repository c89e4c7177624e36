package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.MemberSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The snapshot flags as a member receives them. */
class SnapshotFlagsTest {
    private static MemberSettings settings(String... args) throws ConfigException {
        return MemberSettings.from(EtcdConfigParser.parse(args, Map.of(), StartupLog.NONE));
    }

    @Test
    void catchUpEntriesDefaultToEtcdsAndTheFlagReachesTheMember() throws Exception {
        assertThat(settings().snapshotCatchUpEntries()).isEqualTo(5000);
        MemberSettings s = settings("--snapshot-count", "300", "--experimental-snapshot-catchup-entries", "100");
        assertThat(s.snapshotCount()).isEqualTo(300);
        assertThat(s.snapshotCatchUpEntries()).isEqualTo(100);
    }
}
