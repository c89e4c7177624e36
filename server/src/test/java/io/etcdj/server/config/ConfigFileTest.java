package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.server.config.ConfigException.Kind;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --config-file YAML, read with etcd 3.5's keys and rules. */
class ConfigFileTest {
    @TempDir
    Path dir;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ConfigFileTest.class.getResource(name).toURI());
    }

    private EtcdConfig load(Path file) throws ConfigException {
        return EtcdConfigParser.parse(new String[] {"--config-file", file.toString()}, Map.of(), StartupLog.NONE);
    }

    private Path write(String yaml) throws Exception {
        Path f = Files.createTempFile(dir, "etcd", ".yml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void seed003DiscoveryFile() throws Exception {
        EtcdConfig c = load(resource("seed003-discovery-etcd2.yml"));
        assertThat(c.source()).isEqualTo(EtcdConfig.Source.CONFIG_FILE);
        assertThat(c.name()).isEqualTo("etcd2");
        assertThat(c.listenClientUrls()).containsExactly(
                URI.create("http://127.0.0.1:2379"), URI.create("http://127.0.0.23:2379"));
        assertThat(c.discovery()).startsWith("http://127.0.0.22:2379/v2/keys/discovery/");
        assertThat(c.initialCluster()).isEmpty();
        assertThat(c.dataDir().toString()).isEqualTo("etcd2.etcd");
        // with discovery the bootstrap ID is hashed with the discovery URL as token
        InitialCluster model = c.initialClusterModel();
        assertThat(model.token()).isEqualTo(c.discovery());
        assertThat(model.member("etcd2").orElseThrow().id())
                .isEqualTo(MemberIds.memberId(List.of("http://127.0.0.23:2380"), c.discovery()));
    }

    @Test
    void seed003PublicDiscoveryWithProxy() throws Exception {
        EtcdConfig c = load(resource("seed003-public-discovery-etcd1.yml"));
        assertThat(c.discoveryProxy()).isEqualTo("http://127.0.0.241:8888");
        assertThat(c.discovery()).isEqualTo("https://discovery.etcd.io/982846b900d7c377a7716564aae3d19e");
        assertThat(c.initialCluster()).isEmpty();
    }

    @Test
    void seed003DnsSrvFileWithAnEmptyKey() throws Exception {
        EtcdConfig c = load(resource("seed003-dns-etcd1.yml"));
        assertThat(c.discoverySrv()).isEqualTo("hi-etcd.com");
        assertThat(c.discoveryProxy()).isEmpty();
        assertThat(c.initialCluster()).isEmpty();
        assertThat(c.initialClusterToken()).isEqualTo("etcd-cluster-1");
        assertThat(c.advertisePeerUrls()).containsExactly(URI.create("http://etcd1.hi-etcd.com:2380"));
    }

    @Test
    void transportSecurityBlocksAndTypedValues() throws Exception {
        EtcdConfig c = load(resource("tls-blocks.yml"));
        assertThat(c.name()).isEqualTo("infra1");
        assertThat(c.snapshotCount()).isEqualTo(10000);
        assertThat(c.strictReconfigCheck()).isFalse();
        assertThat(c.enableV2()).isTrue();
        assertThat(c.clientSecurity()).isEqualTo(new TransportSecurity("/etc/etcd/server.pem",
                "/etc/etcd/server-key.pem", "", "", "/etc/etcd/ca.pem", true, "", List.of("client-a"), List.of(),
                false, false));
        assertThat(c.peerSecurity().allowedCns()).containsExactly("infra1", "infra2");
        assertThat(c.peerSecurity().allowedHostnames()).containsExactly("peer.example");
        assertThat(c.peerSecurity().clientCertAuth()).isTrue();
        assertThat(c.logLevel()).isEqualTo("debug");
        assertThat(c.logOutputs()).containsExactly("stderr");
        assertThat(c.autoCompactionRetentionDuration()).isEqualTo(Duration.ofHours(1));
        assertThat(c.grpcKeepAliveMinTime()).isEqualTo(Duration.ofSeconds(10)); // nanoseconds in YAML
        assertThat(c.get(EtcdFlags.EXPERIMENTAL_SNAPSHOT_CATCHUP_ENTRIES)).isEqualTo(7000L);
        assertThat(c.get(EtcdFlags.SOCKET_REUSE_PORT)).isTrue();
        assertThat(c.cors()).containsExactly("*");
    }

    @Test
    void otherFlagsAndVariablesAreIgnoredWhenAFileIsGiven() throws Exception {
        Path f = write("name: from-file\n");
        StartupLog.Recording log = new StartupLog.Recording();
        EtcdConfig c = EtcdConfigParser.parse(new String[] {"--config-file=" + f, "--data-dir", "/tmp/x"},
                Map.of("ETCD_NAME", "from-env", "ETCD_BOGUS", "1"), log);
        assertThat(c.name()).isEqualTo("from-file");
        assertThat(c.dataDir().toString()).isEqualTo("from-file.etcd");
        assertThat(log.entries()).noneMatch(e -> e.message().contains("recognized"));
        assertThat(log.entries()).anyMatch(e -> e.message().startsWith("loaded server configuration"));
    }

    @Test
    void etcdConfigFileVariableNamesTheFile() throws Exception {
        Path f = write("name: via-env\n");
        EtcdConfig c = EtcdConfigParser.parse(new String[0], Map.of("ETCD_CONFIG_FILE", f.toString()),
                StartupLog.NONE);
        assertThat(c.name()).isEqualTo("via-env");
        assertThat(c.configFile()).contains(f);
    }

    @Test
    void listenClientUrlsAloneKeepTheDefaultAdvertiseUrlInAFile() throws Exception {
        EtcdConfig c = load(write("listen-client-urls: http://127.0.0.1:2379\n"));
        assertThat(c.advertiseClientUrls()).containsExactly(URI.create("http://localhost:2379"));
    }

    @Test
    void nameAloneNamesTheInitialCluster() throws Exception {
        EtcdConfig c = load(write("name: solo\ninitial-advertise-peer-urls: http://127.0.0.1:12380\n"));
        assertThat(c.initialCluster()).isEqualTo("solo=http://127.0.0.1:12380");
    }

    @Test
    void wrongTypesAreRejectedWithEncodingJsonWording() throws Exception {
        assertThatThrownBy(() -> load(write("heartbeat-interval: fast\n")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID);
                    assertThat(e.getMessage()).isEqualTo("error unmarshaling JSON: while decoding JSON: json: "
                            + "cannot unmarshal string into Go struct field configYAML.heartbeat-interval of type uint");
                });
        assertThatThrownBy(() -> load(write("max-wals: -1\n")))
                .hasMessageContaining("cannot unmarshal number -1 into Go struct field configYAML.max-wals of type uint");
        assertThatThrownBy(() -> load(write("enable-v2: \"yes please\"\n")))
                .hasMessageContaining("of type bool");
    }

    @Test
    void badUrlsInAFileFailLikeEtcd() throws Exception {
        assertThatThrownBy(() -> load(write("listen-peer-urls: 127.0.0.1:2380\n")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.PLAIN);
                    assertThat(e.getMessage()).isEqualTo("unexpected error setting up listen-peer-urls: "
                            + "parse \"127.0.0.1:2380\": first path segment in URL cannot contain colon");
                });
    }

    @Test
    void anInvalidClusterStateInAFileIsCaughtByValidation() throws Exception {
        assertThatThrownBy(() -> load(write("initial-cluster-state: exist\n")))
                .hasMessage("unexpected clusterState \"exist\"");
    }

    @Test
    void aMissingOrMalformedFile() throws Exception {
        assertThatThrownBy(() -> load(dir.resolve("nope.yml")))
                .hasMessage("open " + dir.resolve("nope.yml") + ": no such file or directory");
        assertThatThrownBy(() -> load(write("name: [unclosed\n")))
                .hasMessageStartingWith("error converting YAML to JSON: yaml: line");
    }

    @Test
    void unknownKeysAreIgnoredAndKeysMatchIgnoringCase() throws Exception {
        EtcdConfig c = load(write("Name: Upper\nno-such-key: 1\n"));
        assertThat(c.name()).isEqualTo("Upper");
    }
}
