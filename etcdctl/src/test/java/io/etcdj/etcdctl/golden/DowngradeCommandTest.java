package io.etcdj.etcdctl.golden;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.DowngradeResponse;
import io.etcdj.etcdctl.print.Output;
import io.etcdj.etcdctl.print.SimplePrinter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * etcdctl 3.6's {@code downgrade} against a member of ours, which runs only as the version it
 * reports and so refuses every target with etcd 3.5's texts; etcdctl 3.4.23 has no such command,
 * so ours keeps it off the help page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DowngradeCommandTest {
    private EtcdProcess ours;

    @BeforeAll
    void start() throws Exception {
        ours = EtcdProcess.startOurs();
    }

    @AfterAll
    void stop() {
        if (ours != null) {
            ours.close();
        }
    }

    private ToolRun run(String... args) {
        return ToolRun.ours(List.of(args), Map.of("ETCDCTL_ENDPOINTS", ours.endpoint()), "");
    }

    @Test
    void everyTargetIsRefusedWithEtcdsText() {
        assertThat(run("downgrade", "validate", "3.4")).satisfies(r -> {
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.stderr()).endsWith("Error: etcdserver: invalid downgrade target version\n");
        });
        assertThat(run("downgrade", "enable", "3.4.0").stderr()).endsWith("Error: etcdserver: invalid downgrade target version\n");
        assertThat(run("downgrade", "validate", "3.x").stderr()).endsWith("Error: etcdserver: wrong downgrade target version format\n");
        assertThat(run("-w", "json", "downgrade", "cancel").stderr()).endsWith("Error: etcdserver: no inflight downgrade job\n");
    }

    @Test
    void targetVersionArgumentsAreCheckedBeforeDialling() {
        assertThat(run("downgrade", "validate")).isEqualTo(new ToolRun("", "Error: TARGET_VERSION not provided\n", 128));
        assertThat(run("downgrade", "enable", "3.4", "3.3")).isEqualTo(new ToolRun("", "Error: too many arguments\n", 128));
        assertThat(run("downgrade", "enable", "")).isEqualTo(new ToolRun("", "Error: target version not provided\n", 128));
    }

    @Test
    void hiddenFromTheHelpPageLikeACommandEtcdctl34DoesNotHave() {
        assertThat(run("--help").stdout()).doesNotContain("downgrade").contains("move-leader");
        assertThat(run("downgrade", "--help").stdout()).contains("validate\tValidate downgrade capability before starting downgrade");
    }

    @Test
    void successIsPrintedAsEtcdctl36PrintsIt() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SimplePrinter(new Output(new PrintStream(out, true, StandardCharsets.UTF_8)), false)
                .downgrade("enable", DowngradeResponse.newBuilder().setVersion("3.5").build());
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Downgrade enable success, cluster version 3.5\n");
    }
}
