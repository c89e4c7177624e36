package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.gateway.ReferenceEtcd;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Plays one jetcd scenario against the reference etcd 3.4 (single member, started with the given
 * flags) and then against one member of ours (started with the matching settings); the two
 * transcripts must be equal. The reference's transcript is printed, so a failure shows both.
 */
final class JetcdSideBySide {
    /** A scenario against one endpoint ("host:port"); returns its transcript. */
    interface Scenario {
        List<String> run(String endpoint) throws Exception;
    }

    private JetcdSideBySide() {
    }

    /** Both sides with default settings. */
    static List<String> assertSameTranscript(Path dir, Scenario scenario) throws Exception {
        return assertSameTranscript(dir, scenario, new String[0], UnaryOperator.identity());
    }

    /**
     * {@code referenceFlags} and {@code ourSettings} must say the same thing (e.g.
     * "--bcrypt-cost=4" and {@code s -> s.withAuth(...)}); returns the reference's transcript.
     */
    static List<String> assertSameTranscript(Path dir, Scenario scenario, String[] referenceFlags,
                                             UnaryOperator<MemberSettings> ourSettings) throws Exception {
        List<String> reference;
        try (ReferenceEtcd etcd = new ReferenceEtcd(referenceFlags)) {
            reference = scenario.run("127.0.0.1:" + etcd.clientPort);
        }
        System.out.println("reference etcd's transcript:\n" + String.join("\n", reference));
        List<String> ours;
        try (EtcdCluster c = EtcdCluster.start(dir, 1, 10_000, 5_000, ourSettings)) {
            c.awaitLeader(Duration.ofSeconds(JetcdTranscript.WAIT_SECONDS));
            ours = scenario.run(c.clientUrl(0).replace("http://", ""));
        }
        assertThat(String.join("\n", ours)).isEqualTo(String.join("\n", reference));
        return reference;
    }
}
