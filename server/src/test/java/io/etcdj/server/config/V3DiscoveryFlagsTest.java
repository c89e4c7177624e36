package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.server.config.ConfigException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd 3.6's v3 discovery settings: the --discovery-* flags, their ETCD_* variables and their
 * place in a config file ({@code discovery-config}), and 3.6's checks of how they combine.
 */
class V3DiscoveryFlagsTest {
    @TempDir
    Path dir;

    @Test
    void flagsGiveTheTokenEndpointsAndClientSettingsWithEtcdsDefaults() throws Exception {
        EtcdConfig c = Etcd.parse("etcd --name m1 --initial-advertise-peer-urls http://127.0.0.1:12380 "
                + "--discovery-token tok --discovery-endpoints http://127.0.0.2:2379,127.0.0.1:2379,127.0.0.1:2379");
        assertThat(c.usesV3Discovery()).isTrue();
        assertThat(c.discoveryToken()).isEqualTo("tok");
        assertThat(c.discoveryEndpoints()).containsExactly("127.0.0.1:2379", "http://127.0.0.2:2379");
        assertThat(c.initialCluster()).as("the default initial cluster is dropped").isEmpty();
        assertThat(c.get(EtcdFlags.DISCOVERY_DIAL_TIMEOUT)).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.get(EtcdFlags.DISCOVERY_REQUEST_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.get(EtcdFlags.DISCOVERY_KEEPALIVE_TIME)).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.get(EtcdFlags.DISCOVERY_KEEPALIVE_TIMEOUT)).isEqualTo(Duration.ofSeconds(6));
        assertThat(c.get(EtcdFlags.DISCOVERY_INSECURE_TRANSPORT)).isTrue();
        // the bootstrap cluster is this member alone, its ID hashed with the token
        InitialCluster model = c.initialClusterModel();
        assertThat(model.token()).isEqualTo("tok");
        assertThat(model.member("m1").orElseThrow().id())
                .isEqualTo(MemberIds.memberId(List.of("http://127.0.0.1:12380"), "tok"));
        assertThat(BootstrapVerification.verifyNewCluster(c, BootstrapVerification.SYSTEM_RESOLVER).members())
                .hasSize(1);
    }

    @Test
    void variablesSetThemToo() throws Exception {
        EtcdConfig c = Etcd.parse("", Map.of("ETCD_DISCOVERY_TOKEN", "t2", "ETCD_DISCOVERY_ENDPOINTS", "127.0.0.1:2379",
                "ETCD_DISCOVERY_DIAL_TIMEOUT", "3s", "ETCD_DISCOVERY_USER", "root", "ETCD_DISCOVERY_PASSWORD", "pw",
                "ETCD_DISCOVERY_INSECURE_SKIP_TLS_VERIFY", "true"), StartupLog.NONE);
        assertThat(c.discoveryToken()).isEqualTo("t2");
        assertThat(c.discoveryEndpoints()).containsExactly("127.0.0.1:2379");
        assertThat(c.get(EtcdFlags.DISCOVERY_DIAL_TIMEOUT)).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.get(EtcdFlags.DISCOVERY_USER)).isEqualTo("root");
        assertThat(c.get(EtcdFlags.DISCOVERY_PASSWORD)).isEqualTo("pw");
        assertThat(c.get(EtcdFlags.DISCOVERY_INSECURE_SKIP_TLS_VERIFY)).isTrue();
    }

    @Test
    void aConfigFileNestsThemUnderDiscoveryConfigAsEtcd36Does() throws Exception {
        Path f = dir.resolve("etcd.yml");
        Files.writeString(f, """
                name: m2
                initial-advertise-peer-urls: http://127.0.0.2:2380
                discovery-config:
                  token: file-token
                  client:
                    endpoints: ["127.0.0.1:2379", "127.0.0.3:2379"]
                    dial-timeout: 4000000000
                    request-timeout: 7s
                    secure:
                      insecure-transport: false
                      cacert: /etc/ca.pem
                    auth:
                      username: u
                      password: p
                """);
        EtcdConfig c = EtcdConfigParser.parse(new String[] {"--config-file", f.toString()}, Map.of(), StartupLog.NONE);
        assertThat(c.discoveryToken()).isEqualTo("file-token");
        assertThat(c.discoveryEndpoints()).containsExactly("127.0.0.1:2379", "127.0.0.3:2379");
        assertThat(c.initialCluster()).isEmpty();
        assertThat(c.get(EtcdFlags.DISCOVERY_DIAL_TIMEOUT)).isEqualTo(Duration.ofSeconds(4));
        assertThat(c.get(EtcdFlags.DISCOVERY_REQUEST_TIMEOUT)).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.get(EtcdFlags.DISCOVERY_INSECURE_TRANSPORT)).isFalse();
        assertThat(c.get(EtcdFlags.DISCOVERY_CACERT)).isEqualTo("/etc/ca.pem");
        assertThat(c.get(EtcdFlags.DISCOVERY_USER)).isEqualTo("u");
        assertThat(c.get(EtcdFlags.DISCOVERY_PASSWORD)).isEqualTo("p");

        Files.writeString(f, "discovery-config:\n  client: 5\n");
        assertThatThrownBy(() -> EtcdConfigParser.parse(new String[] {"--config-file", f.toString()}, Map.of(),
                StartupLog.NONE)).hasMessage("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
                + "number 5 into Go struct field configYAML.discovery-config.client of type clientv3.ConfigSpec");
    }

    @Test
    void v3DiscoveryExcludesTheOtherBootstrapSourcesWithEtcd36sText() {
        for (String other : List.of("--discovery http://127.0.0.1:2379/v2/keys/discovery/x",
                "--initial-cluster m=http://127.0.0.1:2380", "--discovery-srv example.com")) {
            assertInvalid("--discovery-token t --discovery-endpoints 127.0.0.1:2379 " + other,
                    "multiple discovery or bootstrap flags are set. Choose one of \"initial-cluster\", \"discovery\", "
                            + "\"discovery-endpoints\" or \"discovery-srv\"");
        }
        // without a 3.6 flag the text stays 3.5's
        assertInvalid("--discovery-srv example.com --initial-cluster m=http://127.0.0.1:2380",
                "multiple discovery or bootstrap flags are set. Choose one of \"initial-cluster\", \"discovery\" "
                        + "or \"discovery-srv\"");
    }

    @Test
    void tokenAndEndpointsGoTogetherAndV2SettingsDoNotMix() {
        assertInvalid("--discovery-token t", "both --discovery-token and --discovery-endpoints must be set");
        assertInvalid("--discovery-endpoints 127.0.0.1:2379", "both --discovery-token and --discovery-endpoints must be set");
        assertInvalid("--discovery-token t --discovery-endpoints 127.0.0.1:2379,",
                "--discovery-endpoints must not contain empty endpoints");
        assertInvalid("--discovery-proxy http://127.0.0.1:8080 --discovery-token t --discovery-endpoints 127.0.0.1:2379",
                "both v2 discovery settings (discovery, discovery-proxy) and v3 discovery settings (discovery-token, "
                        + "discovery-endpoints, discovery-cert, discovery-key, discovery-cacert, discovery-user, "
                        + "discovery-password) are set");
    }

    @Test
    void theFlagsStayOutOfThe35HelpText() {
        assertThat(EtcdFlags.DISCOVERY_TOKEN.section()).isEqualTo(Flag.Section.HIDDEN);
        assertThat(EtcdFlags.byName("discovery-keepalive-timeout")).isPresent();
    }

    private static void assertInvalid(String commandLine, String message) {
        assertThatThrownBy(() -> Etcd.parse(commandLine)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.INVALID);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }
}
