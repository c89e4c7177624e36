package io.etcdj.robustness.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MemberLauncherTest {

    @Test
    void placeholdersAreFilledPerMember() {
        MemberLauncher l = new MemberLauncher("bin/etcd --name {name} --data-dir {dataDir}");
        assertThat(l.command(Map.of("name", "m1", "dataDir", "/tmp/m1")))
                .containsExactly("bin/etcd", "--name", "m1", "--data-dir", "/tmp/m1");
        assertThat(l.executable()).isEqualTo("bin/etcd");
    }

    @Test
    void anUnfilledPlaceholderIsAnError() {
        assertThatThrownBy(() -> new MemberLauncher("etcd --name {name} {oops}").command(Map.of("name", "m1")))
                .hasMessageContaining("{oops}");
    }

    @Test
    void aMissingExecutableFailsLoudly() {
        assertThatThrownBy(() -> new MemberLauncher("/nonexistent/etcd --name {name}").requireExecutable())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not found");
    }

    @Test
    void aFlagIsReplacedWhereTheTemplateHasItAndAppendedOtherwise() {
        MemberLauncher l = new MemberLauncher("etcd --name {name} --snapshot-count 2000 --x=1");
        assertThat(l.withFlag("snapshot-count", "200").template()).isEqualTo("etcd --name {name} --snapshot-count 200 --x=1");
        assertThat(l.withFlag("x", "2").template()).isEqualTo("etcd --name {name} --snapshot-count 2000 --x 2");
        assertThat(l.withFlag("quota-backend-bytes", "9").template()).endsWith("--x=1 --quota-backend-bytes 9");
    }

    @Test
    void aMemberAddedToARunningClusterJoinsTheExistingOne() {
        MemberLauncher l = new MemberLauncher(MemberLauncher.DEFAULT_TEMPLATE.replace("{binary}", "etcd"));
        assertThat(l.joiningExisting().template()).contains("--initial-cluster-state existing")
                .doesNotContain("--initial-cluster-state new");
    }

    @Test
    void whetherTheProgramKnowsAFlagIsReadFromItsHelp() {
        // /bin/echo prints its arguments: "--help" and nothing else.
        MemberLauncher echo = new MemberLauncher("/bin/echo --name {name}");
        assertThat(echo.knowsFlag("help")).isTrue();
        assertThat(echo.knowsFlag("hel")).isFalse();
        assertThat(echo.knowsFlag("experimental-snapshot-catchup-entries")).isFalse();
    }
}
