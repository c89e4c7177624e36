package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.server.config.ConfigException.Kind;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The command lines and environment files of the seed articles (shared/seeds), with their
 * addresses moved to 127.0.0.x, parse into what etcd would run with.
 */
class SeedCommandLinesTest {
    private static final BootstrapVerification.HostResolver NO_DNS = host -> {
        throw new UnknownHostException(host);
    };

    private static final String CLUSTER_000 = "etcd01=http://127.0.0.112:2380,etcd02=http://127.0.0.115:2380,"
            + "etcd03=http://127.0.0.117:2380";

    /** Seed 000, static cluster, node 1 (double-dash flags, continuation lines). */
    @Test
    void seed000StaticNode1() throws Exception {
        EtcdConfig c = Etcd.parse("""
                ./etcd --name etcd01 --initial-advertise-peer-urls http://127.0.0.112:2380 \\
                  --listen-peer-urls http://127.0.0.1:2380 \\
                  --listen-client-urls http://127.0.0.1:2379 \\
                  --advertise-client-urls http://127.0.0.112:2379 \\
                  --initial-cluster-token etcd-cluster-1 \\
                  --initial-cluster %s \\
                  --initial-cluster-state new
                """.formatted(CLUSTER_000));
        assertThat(c.name()).isEqualTo("etcd01");
        assertThat(c.advertisePeerUrls()).containsExactly(URI.create("http://127.0.0.112:2380"));
        assertThat(c.listenPeerUrls()).containsExactly(URI.create("http://127.0.0.1:2380"));
        assertThat(c.listenClientUrls()).containsExactly(URI.create("http://127.0.0.1:2379"));
        assertThat(c.advertiseClientUrls()).containsExactly(URI.create("http://127.0.0.112:2379"));
        assertThat(c.initialClusterToken()).isEqualTo("etcd-cluster-1");
        assertThat(c.isNewCluster()).isTrue();
        assertThat(c.dataDir().toString()).isEqualTo("etcd01.etcd");
        InitialCluster cluster = BootstrapVerification.verifyNewCluster(c, NO_DNS);
        assertThat(cluster.members()).hasSize(3);
        assertThat(cluster.member("etcd01").orElseThrow().id())
                .isEqualTo(MemberIds.memberId(List.of("http://127.0.0.112:2380"), "etcd-cluster-1"));
    }

    /** Seed 000, nodes 2 and 3 derive the same cluster ID as node 1. */
    @Test
    void seed000AllNodesAgreeOnTheClusterId() throws Exception {
        long first = 0;
        for (String[] node : new String[][] {{"etcd01", "112"}, {"etcd02", "115"}, {"etcd03", "117"}}) {
            EtcdConfig c = Etcd.parse("""
                    ./etcd --name %1$s --initial-advertise-peer-urls http://127.0.0.%2$s:2380 \\
                    --listen-peer-urls http://127.0.0.1:2380 \\
                    --listen-client-urls http://127.0.0.1:2379 \\
                    --advertise-client-urls http://127.0.0.%2$s:2379 \\
                    --initial-cluster-token etcd-cluster-1 \\
                    --initial-cluster %3$s \\
                    --initial-cluster-state new
                    """.formatted(node[0], node[1], CLUSTER_000));
            long id = BootstrapVerification.verifyNewCluster(c, NO_DNS).clusterId();
            if (first == 0) {
                first = id;
            }
            assertThat(id).isEqualTo(first);
        }
    }

    /** Seed 000, method two: shell variables expanded, "--data-dir=data.etcd" form. */
    @Test
    void seed000ShellVariablesForm() throws Exception {
        String cluster = "machine-1=http://127.0.0.109:2380,machine-2=http://127.0.0.110:2380,"
                + "machine-3=http://127.0.0.114:2380";
        EtcdConfig c = Etcd.parse("./etcd --data-dir=data.etcd --name machine-2 --initial-advertise-peer-urls "
                + "http://127.0.0.110:2380 --listen-peer-urls http://127.0.0.110:2380 --advertise-client-urls "
                + "http://127.0.0.110:2379 --listen-client-urls http://127.0.0.110:2379 --initial-cluster " + cluster
                + " --initial-cluster-state new --initial-cluster-token token-03");
        assertThat(c.dataDir().toString()).isEqualTo("data.etcd");
        assertThat(c.initialClusterToken()).isEqualTo("token-03");
        assertThat(BootstrapVerification.verifyNewCluster(c, NO_DNS).member("machine-2")).isPresent();
    }

    /** Seed 000, offline bootstrap through environment variables. */
    @Test
    void seed000EnvironmentForm() throws Exception {
        Map<String, String> env = Map.of(
                "ETCD_INITIAL_CLUSTER", "infra0=http://127.0.0.112:2380,infra1=http://127.0.0.115:2380,"
                        + "infra2=http://127.0.0.117:2380",
                "ETCD_INITIAL_CLUSTER_STATE", "new");
        EtcdConfig c = Etcd.parse("--name infra1 --initial-advertise-peer-urls http://127.0.0.115:2380",
                env, StartupLog.NONE);
        assertThat(c.initialCluster()).startsWith("infra0=");
        assertThat(c.isExplicitlySet(EtcdFlags.INITIAL_CLUSTER)).isTrue();
        assertThat(BootstrapVerification.verifyNewCluster(c, NO_DNS).members()).hasSize(3);
    }

    /** Seed 001: single-dash flags, as etcd 2.x articles write them. */
    @Test
    void seed001SingleDashFlags() throws Exception {
        EtcdConfig c = Etcd.parse("""
                etcd --name etcd0 -advertise-client-urls http://127.0.0.101:2379 \\
                -listen-client-urls http://127.0.0.1:2379 \\
                -listen-peer-urls http://127.0.0.1:2380 \\
                -initial-advertise-peer-urls http://127.0.0.101:2380 \\
                -initial-cluster-token etcd-cluster-1 \\
                -initial-cluster etcd0=http://127.0.0.101:2380,etcd1=http://127.0.0.102:2380,etcd2=http://127.0.0.103:2380 \\
                -initial-cluster-state new
                """);
        assertThat(c.name()).isEqualTo("etcd0");
        assertThat(c.advertiseClientUrls()).containsExactly(URI.create("http://127.0.0.101:2379"));
        assertThat(BootstrapVerification.verifyNewCluster(c, NO_DNS).members()).hasSize(3);
    }

    /** Seed 001: a member added with "etcdctl member add" starts with -initial-cluster-state existing. */
    @Test
    void seed001JoinExisting() throws Exception {
        EtcdConfig c = Etcd.parse("""
                etcd --name etcd2 -advertise-client-urls http://127.0.0.103:2379 \\
                -listen-client-urls http://127.0.0.1:2379 \\
                -listen-peer-urls http://127.0.0.1:2380 \\
                -initial-advertise-peer-urls http://127.0.0.103:2380 \\
                -initial-cluster-token etcd-cluster-1 \\
                -initial-cluster etcd0=http://127.0.0.101:2380,etcd1=http://127.0.0.102:2380,etcd2=http://127.0.0.103:2380 \\
                -initial-cluster-state existing
                """);
        assertThat(c.isNewCluster()).isFalse();
        assertThat(BootstrapVerification.verifyJoinExisting(c).member("etcd2")).isPresent();
    }

    /** Seed 001: the systemd unit passes everything through the environment. */
    @Test
    void seed001SystemdEnvironment() throws Exception {
        StartupLog.Recording log = new StartupLog.Recording();
        EtcdConfig c = Etcd.parse("", Map.of(
                "ETCD_DATA_DIR", "/opt/etcd/default.etcd",
                "ETCD_NAME", "5f1c0de2a3b34bb49a3a5ea0cbd1c5a6",
                "ETCD_ELECTION_TIMEOUT", "1200",
                "ETCD_LISTEN_PEER_URLS", "http://127.0.0.101:2380,http://127.0.0.101:7001",
                "ETCD_ADVERTISE_CLIENT_URLS", "http://127.0.0.101:2379,http://127.0.0.101:4001",
                "ETCD_LISTEN_CLIENT_URLS", "http://127.0.0.1:2379"), log);
        assertThat(c.electionTimeout().toMillis()).isEqualTo(1200);
        assertThat(c.listenPeerUrls()).hasSize(2);
        assertThat(c.advertiseClientUrls()).containsExactly(
                URI.create("http://127.0.0.101:2379"), URI.create("http://127.0.0.101:4001"));
        // only the name was given: the default initial cluster is named after it
        assertThat(c.initialCluster()).isEqualTo("5f1c0de2a3b34bb49a3a5ea0cbd1c5a6=http://localhost:2380");
        assertThat(log.entries()).filteredOn(e -> e.message().equals("recognized and used environment variable"))
                .hasSize(6);
    }

    /** Seed 002: the etcd.conf environment file of the master node. */
    @Test
    void seed002EnvironmentFileMaster() throws Exception {
        EtcdConfig c = Etcd.parse("", seed002Env("etcd01", "127.0.0.5", "new"), StartupLog.NONE);
        assertThat(c.name()).isEqualTo("etcd01");
        assertThat(c.dataDir().toString()).isEqualTo("/var/lib/etcd/default.etcd");
        assertThat(c.initialClusterToken()).isEqualTo("etcd-cluster");
        assertThat(BootstrapVerification.verifyNewCluster(c, NO_DNS).member("etcd01").orElseThrow().idHex())
                .isEqualTo(MemberIds.hex(MemberIds.memberId(List.of("http://127.0.0.5:2380"), "etcd-cluster")));
    }

    /** Seed 002: the other nodes say ETCD_INITIAL_CLUSTER_STATE="exist", which etcd 3.x refuses. */
    @Test
    void seed002ExistIsNotAClusterState() {
        assertThatThrownBy(() -> Etcd.parse("", seed002Env("etcd02", "127.0.0.6", "exist"), StartupLog.NONE))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID);
                    assertThat(e.getMessage())
                            .isEqualTo("invalid value \"exist\" for ETCD_INITIAL_CLUSTER_STATE: invalid value");
                });
    }

    /**
     * Seed 002's systemd unit repeats --name/--data-dir/--listen-client-urls on the command line
     * while the same ETCD_* variables are set. etcd 3.2 (the article's) only logged that; since
     * 3.4 (the reference, and 3.5) it is fatal.
     */
    @Test
    void seed002UnitWithFlagsAndTheSameVariablesIsFatal() {
        assertThatThrownBy(() -> Etcd.parse("/usr/bin/etcd --name=etcd01 --data-dir=/var/lib/etcd/default.etcd "
                + "--listen-client-urls=http://127.0.0.1:2379", seed002Env("etcd01", "127.0.0.5", "new"),
                StartupLog.NONE))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.SHADOWED_ENV);
                    assertThat(e.getMessage()).isEqualTo("ETCD_DATA_DIR");
                    assertThat(e.exitCode()).isEqualTo(1);
                });
    }

    private static Map<String, String> seed002Env(String name, String ip, String state) {
        return Map.of(
                "ETCD_DATA_DIR", "/var/lib/etcd/default.etcd",
                "ETCD_LISTEN_PEER_URLS", "http://" + ip + ":2380",
                "ETCD_LISTEN_CLIENT_URLS", "http://127.0.0.1:2379",
                "ETCD_NAME", name,
                "ETCD_INITIAL_ADVERTISE_PEER_URLS", "http://" + ip + ":2380",
                "ETCD_ADVERTISE_CLIENT_URLS", "http://127.0.0.1:2379",
                "ETCD_INITIAL_CLUSTER", "etcd01=http://127.0.0.5:2380,etcd02=http://127.0.0.6:2380,"
                        + "etcd03=http://127.0.0.7:2380",
                "ETCD_INITIAL_CLUSTER_TOKEN", "etcd-cluster",
                "ETCD_INITIAL_CLUSTER_STATE", state);
    }

    /** Seed 004: an EnvironmentFile for the cluster plus TLS flags on the ExecStart line. */
    @Test
    void seed004EnvironmentFileAndTlsFlags() throws Exception {
        Map<String, String> env = Map.of(
                "ETCD_NAME", "etcd-1",
                "ETCD_DATA_DIR", "/var/lib/etcd/default.etcd",
                "ETCD_LISTEN_PEER_URLS", "https://127.0.0.7:2380",
                "ETCD_LISTEN_CLIENT_URLS", "https://127.0.0.7:2379,http://127.0.0.1:2379",
                "ETCD_INITIAL_ADVERTISE_PEER_URLS", "https://127.0.0.7:2380",
                "ETCD_ADVERTISE_CLIENT_URLS", "https://127.0.0.7:2379",
                "ETCD_INITIAL_CLUSTER", "etcd-1=https://127.0.0.7:2380,etcd-2=https://127.0.0.8:2380,"
                        + "etcd-3=https://127.0.0.9:2380",
                "ETCD_INITIAL_CLUSTER_TOKEN", "etcd-cluster",
                "ETCD_INITIAL_CLUSTER_STATE", "new",
                "ETCD_ENABLE_V2", "true");
        EtcdConfig c = Etcd.parse("""
                /opt/etcd/bin/etcd \\
                        --cert-file=/opt/etcd/ssl/etcd.pem \\
                        --key-file=/opt/etcd/ssl/etcd-key.pem \\
                        --peer-cert-file=/opt/etcd/ssl/etcd.pem \\
                        --peer-key-file=/opt/etcd/ssl/etcd-key.pem \\
                        --trusted-ca-file=/opt/etcd/ssl/ca.pem \\
                        --peer-trusted-ca-file=/opt/etcd/ssl/ca.pem
                """, env, StartupLog.NONE);
        assertThat(c.enableV2()).isTrue();
        assertThat(c.clientSecurity().certFile()).isEqualTo("/opt/etcd/ssl/etcd.pem");
        assertThat(c.clientSecurity().trustedCaFile()).isEqualTo("/opt/etcd/ssl/ca.pem");
        assertThat(c.peerSecurity().keyFile()).isEqualTo("/opt/etcd/ssl/etcd-key.pem");
        assertThat(c.peerSecurity().isTls()).isTrue();
        assertThat(c.listenClientUrls()).containsExactly(
                URI.create("http://127.0.0.1:2379"), URI.create("https://127.0.0.7:2379"));
        assertThat(BootstrapVerification.verifyNewCluster(c, NO_DNS).members()).hasSize(3);
    }
}
