package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.mvcc.CompactionPacing;
import io.etcdj.server.MemberSettings;
import io.etcdj.server.config.ConfigException.Kind;
import io.etcdj.server.corruption.CorruptionCheckSettings;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Invalid configurations are refused with etcd's texts (checked against the reference binary). */
class ConfigValidationTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--election-timeout 100 | --election-timeout[100ms] should be at least as 5 times as --heartbeat-interval[100ms]",
        "--election-timeout 60000 | --election-timeout[60000ms] is too long, and should be set less than 50000ms",
        "--heartbeat-interval 0 | --heartbeat-interval must be >0 (set to 0ms)",
        "--listen-peer-urls http://example.com:2380 | expected IP in URL for binding (http://example.com:2380)",
        "--initial-advertise-peer-urls http://:2380 | --initial-advertise-peer-urls \"http://:2380\" must be \"host:port\" (unexpected empty host (http://:2380))",
        "--discovery http://127.0.0.1:1/x --initial-cluster default=http://localhost:2380 | multiple discovery or bootstrap flags are set. Choose one of \"initial-cluster\", \"discovery\" or \"discovery-srv\"",
        "--auto-compaction-mode bogus | unknown auto-compaction-mode \"bogus\"",
        "--auto-compaction-retention abc | error parsing CompactionRetention: time: invalid duration \"abc\"",
        "--logger capnslog | --logger=capnslog is removed in v3.5",
        "--logger other | unknown logger option \"other\"",
        "--log-outputs default,stderr | multi logoutput for \"default\" is not supported yet",
        "--log-level loud | unrecognized level: \"loud\"",
        "--log-format xml | unsupported log format: xml",
        "--tls-min-version TLS1.1 | unexpected TLS version \"TLS1.1\" (must be one of: TLS1.2, TLS1.3)",
        "--tls-min-version TLS1.3 --tls-max-version TLS1.2 | min version (TLS1.3) is greater than max version (TLS1.2)",
        "--tls-min-version TLS1.3 --cipher-suites TLS_AES_128_GCM_SHA256 | cipher suites cannot be configured when only TLS1.3 is enabled",
        "--experimental-enable-lease-checkpoint-persist | setting experimental-enable-lease-checkpoint-persist requires experimental-enable-lease-checkpoint",
        "--experimental-compact-hash-check-time 0s | --experimental-compact-hash-check-time must be >0 (set to 0s)",
        "--listen-client-urls http://127.0.0.1:2379 | --advertise-client-urls is required when --listen-client-urls is set explicitly",
    })
    void refused(String commandLine, String message) {
        assertThatThrownBy(() -> Etcd.parse(commandLine))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID);
                    assertThat(e.getMessage()).isEqualTo(message);
                    assertThat(e.exitCode()).isEqualTo(1);
                });
    }

    @Test
    void aProxyModeMayListenWithoutAdvertising() throws Exception {
        EtcdConfig c = Etcd.parse("--proxy on --listen-client-urls http://127.0.0.1:2379");
        assertThat(c.advertiseClientUrls()).containsExactly(URI.create("http://localhost:2379"));
    }

    @Test
    void discoveryReplacesTheDefaultInitialCluster() throws Exception {
        EtcdConfig c = Etcd.parse("--discovery https://discovery.example/abc --discovery-fallback exit");
        assertThat(c.initialCluster()).isEmpty();
        assertThat(c.discoveryFallback()).isEqualTo("exit");
    }

    @Test
    void defaultsAreEtcd35s() {
        EtcdConfig c = EtcdConfig.defaults();
        assertThat(c.name()).isEqualTo("default");
        assertThat(c.dataDir().toString()).isEqualTo("default.etcd");
        assertThat(c.snapshotCount()).isEqualTo(100000);
        assertThat(c.heartbeatInterval().toMillis()).isEqualTo(100);
        assertThat(c.electionTimeout().toMillis()).isEqualTo(1000);
        assertThat(c.electionTicks()).isEqualTo(10);
        assertThat(c.listenPeerUrls()).containsExactly(URI.create("http://localhost:2380"));
        assertThat(c.listenClientUrls()).containsExactly(URI.create("http://localhost:2379"));
        assertThat(c.advertiseClientUrls()).containsExactly(URI.create("http://localhost:2379"));
        assertThat(c.advertisePeerUrls()).containsExactly(URI.create("http://localhost:2380"));
        assertThat(c.initialCluster()).isEqualTo("default=http://localhost:2380");
        assertThat(c.isNewCluster()).isTrue();
        assertThat(c.initialClusterToken()).isEqualTo("etcd-cluster");
        assertThat(c.maxSnapshots()).isEqualTo(5);
        assertThat(c.maxWals()).isEqualTo(5);
        assertThat(c.effectiveQuotaBackendBytes()).isEqualTo(2147483648L);
        assertThat(c.maxTxnOps()).isEqualTo(128);
        assertThat(c.maxRequestBytes()).isEqualTo(1572864);
        assertThat(c.maxConcurrentStreams()).isEqualTo(4294967295L);
        assertThat(c.grpcKeepAliveMinTime()).hasSeconds(5);
        assertThat(c.grpcKeepAliveInterval()).hasHours(2);
        assertThat(c.grpcKeepAliveTimeout()).hasSeconds(20);
        assertThat(c.strictReconfigCheck()).isTrue();
        assertThat(c.preVote()).isTrue();
        assertThat(c.enableV2()).isFalse();
        assertThat(c.v2Deprecation()).isEqualTo("not-yet");
        assertThat(c.autoCompactionMode()).isEqualTo("periodic");
        assertThat(c.autoCompactionRetention()).isEqualTo("0");
        assertThat(c.authToken()).isEqualTo("simple");
        assertThat(c.bcryptCost()).isEqualTo(10);
        assertThat(c.authTokenTtl()).hasSeconds(300);
        assertThat(c.logger()).isEqualTo("zap");
        assertThat(c.logLevel()).isEqualTo("info");
        assertThat(c.logOutputs()).containsExactly("default");
        assertThat(c.metrics()).isEqualTo("basic");
        assertThat(c.enableGrpcGateway()).isTrue();
        assertThat(c.cors()).containsExactly("*");
        assertThat(c.hostWhitelist()).containsExactly("*");
        assertThat(c.tlsMinVersion()).isEqualTo("TLS1.2");
        assertThat(c.clientSecurity().isTls()).isFalse();
        assertThat(c.proxyMode()).isEqualTo("off");
        assertThat(c.discoveryFallback()).isEqualTo("proxy");
        assertThat(c.effectiveCompactionBatchLimit()).isEqualTo(1000);
        assertThat(c.source()).isEqualTo(EtcdConfig.Source.COMMAND_LINE_AND_ENVIRONMENT);
        assertThat(c.effectiveWalDir().toString()).isEqualTo("default.etcd/member/wal");
        assertThat(c.backendPath().toString()).isEqualTo("default.etcd/member/snap/db");
        assertThat(c.requestTimeout()).hasSeconds(7);
    }

    @Test
    void aDedicatedWalDir() throws Exception {
        assertThat(Etcd.parse("--wal-dir /wal --data-dir /data").effectiveWalDir().toString()).isEqualTo("/wal");
    }

    @Test
    void theCompactionBatchLimitAndPauseReachTheMember() throws Exception {
        EtcdConfig c = Etcd.parse("--experimental-compaction-batch-limit 50 --experimental-compaction-sleep-interval 3ms");
        assertThat(MemberSettings.from(c).compactionPacing())
                .isEqualTo(new CompactionPacing(50, Duration.ofMillis(3)));
        assertThat(MemberSettings.from(Etcd.parse("")).compactionPacing())
                .isEqualTo(CompactionPacing.DEFAULTS);
    }

    @Test
    void theCorruptionChecksReachTheMember() throws Exception {
        EtcdConfig c = Etcd.parse("--experimental-initial-corrupt-check --experimental-corrupt-check-time 5s");
        assertThat(MemberSettings.from(c).corruptionCheck()).isEqualTo(
                new CorruptionCheckSettings(true, Duration.ofSeconds(5)));
        assertThat(MemberSettings.from(Etcd.parse("")).corruptionCheck().periodic()).isFalse();
    }
}
