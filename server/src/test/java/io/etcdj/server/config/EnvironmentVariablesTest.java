package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.server.config.ConfigException.Kind;
import io.etcdj.server.config.StartupLog.Level;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ETCD_* variables stand for every flag, with etcd's precedence and warnings. */
class EnvironmentVariablesTest {
    private final StartupLog.Recording log = new StartupLog.Recording();

    @Test
    void everyCommandLineFlagHasItsVariable() throws Exception {
        for (Flag<?> f : EtcdFlags.commandLine().values()) {
            assertThat(f.envName()).startsWith("ETCD_").doesNotContain("-").isUpperCase();
        }
        assertThat(EtcdFlags.INITIAL_CLUSTER.envName()).isEqualTo("ETCD_INITIAL_CLUSTER");
        assertThat(EtcdFlags.EXPERIMENTAL_INITIAL_CORRUPT_CHECK.envName())
                .isEqualTo("ETCD_EXPERIMENTAL_INITIAL_CORRUPT_CHECK");
    }

    @Test
    void aVariableSetsItsFlagAndIsLoggedAsUsed() throws Exception {
        EtcdConfig c = Etcd.parse("", Map.of("ETCD_NAME", "n1", "ETCD_SNAPSHOT_COUNT", "42",
                "ETCD_ENABLE_V2", "true", "ETCD_GRPC_KEEPALIVE_TIMEOUT", "3s"), log);
        assertThat(c.name()).isEqualTo("n1");
        assertThat(c.snapshotCount()).isEqualTo(42);
        assertThat(c.enableV2()).isTrue();
        assertThat(c.grpcKeepAliveTimeout()).hasSeconds(3);
        assertThat(log.entries()).filteredOn(e -> e.message().equals("recognized and used environment variable"))
                .extracting(e -> e.fields().get("variable-name"))
                .containsExactly("ETCD_ENABLE_V2", "ETCD_GRPC_KEEPALIVE_TIMEOUT", "ETCD_NAME", "ETCD_SNAPSHOT_COUNT");
    }

    @Test
    void aFlagAndItsVariableTogetherAreFatalAsInEtcd34And35() {
        assertThatThrownBy(() -> Etcd.parse("--name y", Map.of("ETCD_NAME", "x"), log))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.SHADOWED_ENV);
                    assertThat(e.getMessage()).isEqualTo("ETCD_NAME");
                    assertThat(e.exitCode()).isEqualTo(1);
                });
    }

    @Test
    void theConflictIsReportedAsEtcdsFatalLogLine() {
        StartupLog.Recording out = new StartupLog.Recording();
        new ConfigException(Kind.SHADOWED_ENV, "ETCD_NAME").report(System.out, System.err, out);
        assertThat(out.entries()).singleElement().satisfies(e -> {
            assertThat(e.level()).isEqualTo(Level.FATAL);
            assertThat(e.message()).isEqualTo("conflicting environment variable is shadowed by corresponding "
                    + "command-line flag (either unset environment variable or disable flag))");
            assertThat(e.fields()).containsEntry("environment-variable", "ETCD_NAME");
        });
    }

    @Test
    void unknownEtcdVariablesAreWarnedAboutAndOthersIgnored() throws Exception {
        Etcd.parse("", Map.of("ETCD_FOO", "bar", "PATH", "/bin", "ETCDCTL_API", "3"), log);
        assertThat(log.entries()).filteredOn(e -> e.level() == Level.WARN
                        && e.message().equals("unrecognized environment variable"))
                .extracting(e -> e.fields().get("environment-variable"))
                .containsExactly("ETCD_FOO=bar");
    }

    @Test
    void anEmptyVariableIsNotUsedButCountsAsUnrecognized() throws Exception {
        EtcdConfig c = Etcd.parse("", Map.of("ETCD_NAME", ""), log);
        assertThat(c.name()).isEqualTo("default");
        assertThat(log.entries()).anySatisfy(e ->
                assertThat(e.fields()).containsEntry("environment-variable", "ETCD_NAME="));
    }

    @Test
    void aBadValueNamesTheVariable() {
        assertThatThrownBy(() -> Etcd.parse("", Map.of("ETCD_HEARTBEAT_INTERVAL", "abc"), log))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID);
                    assertThat(e.getMessage()).isEqualTo("invalid value \"abc\" for ETCD_HEARTBEAT_INTERVAL: parse error");
                });
    }

    @Test
    void etcdVersionCannotBeSetFromTheEnvironment() throws Exception {
        EtcdConfig c = Etcd.parse("", Map.of("ETCD_VERSION", "1"), log);
        assertThat(c.get(EtcdFlags.VERSION)).isFalse();
        assertThat(log.entries()).anySatisfy(e -> {
            assertThat(e.message()).isEqualTo("cannot set special environment variable");
            assertThat(e.fields()).containsEntry("key", "ETCD_VERSION");
        });
    }

    @Test
    void listenClientUrlsFromTheEnvironmentAlsoDropTheDefaultAdvertiseUrls() {
        assertThatThrownBy(() -> Etcd.parse("", Map.of("ETCD_LISTEN_CLIENT_URLS", "http://127.0.0.1:2379"), log))
                .hasMessage("--advertise-client-urls is required when --listen-client-urls is set explicitly");
    }
}
