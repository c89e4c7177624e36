package io.etcdj.server.config;

import static io.etcdj.server.config.EtcdFlags.*;

import io.etcdj.mvcc.CompactionPacing;
import io.etcdj.server.ObservabilitySettings;
import io.etcdj.server.corruption.CorruptionCheckSettings;
import io.etcdj.server.logging.LogRotation;
import io.etcdj.server.logging.LogSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

/**
 * The complete, validated configuration of one etcd member, immutable. Every flag of etcd 3.5
 * has a value here ({@link #get(Flag)}); the ones the server needs most have named accessors.
 * Values are etcd's after its own start-up rules: {@code data-dir} defaults to
 * "${name}.etcd", {@code initial-cluster} names this member when only {@code --name} was
 * given, {@code advertise-client-urls} is empty when {@code --listen-client-urls} was set alone
 * (then validation has failed unless a proxy mode allows it).
 * Built by {@link EtcdConfigParser}.
 */
public final class EtcdConfig {
    /** Where the values came from. */
    public enum Source { COMMAND_LINE_AND_ENVIRONMENT, CONFIG_FILE }

    /** The default size of the backend quota (2 GiB) used when --quota-backend-bytes is 0. */
    public static final long DEFAULT_QUOTA_BACKEND_BYTES = 2L * 1024 * 1024 * 1024;

    private final Map<String, Object> values;
    private final Set<String> explicitlySet;
    private final Source source;
    private final Optional<Path> configFile;

    EtcdConfig(ConfigValues values, Source source, Optional<Path> configFile) {
        this.values = values.snapshot();
        this.explicitlySet = values.explicitlySet();
        this.source = Objects.requireNonNull(source);
        this.configFile = Objects.requireNonNull(configFile);
    }

    /** A configuration with every flag at etcd's default (after etcd's start-up rules). */
    public static EtcdConfig defaults() {
        try {
            return EtcdConfigParser.parse(new String[0], Map.of(), StartupLog.NONE);
        } catch (ConfigException e) {
            throw new IllegalStateException("etcd's defaults must be valid", e);
        }
    }

    /** The value of any flag. */
    public <T> T get(Flag<T> flag) {
        @SuppressWarnings("unchecked")
        T v = (T) values.get(flag.name());
        return v;
    }

    /** Whether the user set this flag (command line, environment or config file). */
    public boolean isExplicitlySet(Flag<?> flag) {
        return explicitlySet.contains(flag.name());
    }

    public Source source() {
        return source;
    }

    /** The config file the values came from, when {@link #source()} is CONFIG_FILE. */
    public Optional<Path> configFile() {
        return configFile;
    }

    // ------------------------------------------------------------ member
    public String name() {
        return get(NAME);
    }

    /** The data directory ("${name}.etcd" unless set). */
    public Path dataDir() {
        return Path.of(get(DATA_DIR));
    }

    /** The dedicated WAL directory, when one is set. */
    public Optional<Path> walDir() {
        String w = get(WAL_DIR);
        return w.isEmpty() ? Optional.empty() : Optional.of(Path.of(w));
    }

    /** {@code <data-dir>/member}, where etcd keeps a member's state. */
    public Path memberDir() {
        return dataDir().resolve("member");
    }

    /** Where the WAL lives: --wal-dir when set, else {@code <data-dir>/member/wal}. */
    public Path effectiveWalDir() {
        return walDir().orElse(memberDir().resolve("wal"));
    }

    /** {@code <data-dir>/member/snap}: raft snapshots and the backend. */
    public Path snapDir() {
        return memberDir().resolve("snap");
    }

    /** {@code <data-dir>/member/snap/db}: the backend file etcd uses. */
    public Path backendPath() {
        return snapDir().resolve("db");
    }

    public long snapshotCount() {
        return get(SNAPSHOT_COUNT);
    }

    /** Entries kept in the raft log below a snapshot, for slow followers (--experimental-snapshot-catchup-entries). */
    public long snapshotCatchUpEntries() {
        return get(EXPERIMENTAL_SNAPSHOT_CATCHUP_ENTRIES);
    }

    public Duration heartbeatInterval() {
        return Duration.ofMillis(get(HEARTBEAT_INTERVAL));
    }

    public Duration electionTimeout() {
        return Duration.ofMillis(get(ELECTION_TIMEOUT));
    }

    /** Election timeout in heartbeat ticks (integer division, as etcd). */
    public int electionTicks() {
        return (int) (get(ELECTION_TIMEOUT) / get(HEARTBEAT_INTERVAL));
    }

    /** etcd's request timeout: 5s plus two election timeouts. */
    public Duration requestTimeout() {
        return Duration.ofSeconds(5).plus(electionTimeout().multipliedBy(2));
    }

    /** etcd's peer dial timeout: 1s plus one election timeout. */
    public Duration peerDialTimeout() {
        return Duration.ofSeconds(1).plus(electionTimeout());
    }

    public boolean initialElectionTickAdvance() {
        return get(INITIAL_ELECTION_TICK_ADVANCE);
    }

    public List<URI> listenPeerUrls() {
        return get(LISTEN_PEER_URLS);
    }

    public List<URI> listenClientUrls() {
        return get(LISTEN_CLIENT_URLS);
    }

    public List<URI> listenClientHttpUrls() {
        return get(LISTEN_CLIENT_HTTP_URLS);
    }

    public List<URI> listenMetricsUrls() {
        return get(LISTEN_METRICS_URLS);
    }

    public long maxSnapshots() {
        return get(MAX_SNAPSHOTS);
    }

    public long maxWals() {
        return get(MAX_WALS);
    }

    /** --quota-backend-bytes as given (0: default). */
    public long quotaBackendBytes() {
        return get(QUOTA_BACKEND_BYTES);
    }

    /** The quota in force: the given value, or 2 GiB when it is 0 or negative. */
    public long effectiveQuotaBackendBytes() {
        long q = quotaBackendBytes();
        return q <= 0 ? DEFAULT_QUOTA_BACKEND_BYTES : q;
    }

    public long maxTxnOps() {
        return get(MAX_TXN_OPS);
    }

    public long maxRequestBytes() {
        return get(MAX_REQUEST_BYTES);
    }

    public long maxConcurrentStreams() {
        return get(MAX_CONCURRENT_STREAMS);
    }

    public Duration grpcKeepAliveMinTime() {
        return get(GRPC_KEEPALIVE_MIN_TIME);
    }

    public Duration grpcKeepAliveInterval() {
        return get(GRPC_KEEPALIVE_INTERVAL);
    }

    public Duration grpcKeepAliveTimeout() {
        return get(GRPC_KEEPALIVE_TIMEOUT);
    }

    // ------------------------------------------------------------ clustering
    /** --initial-advertise-peer-urls. */
    public List<URI> advertisePeerUrls() {
        return get(INITIAL_ADVERTISE_PEER_URLS);
    }

    public List<URI> advertiseClientUrls() {
        return get(ADVERTISE_CLIENT_URLS);
    }

    /** --initial-cluster as text ("" when discovery bootstraps the cluster). */
    public String initialCluster() {
        return get(INITIAL_CLUSTER);
    }

    /** Whether this member bootstraps a new cluster (--initial-cluster-state=new). */
    public boolean isNewCluster() {
        return get(INITIAL_CLUSTER_STATE).equals("new");
    }

    public String initialClusterState() {
        return get(INITIAL_CLUSTER_STATE);
    }

    public String initialClusterToken() {
        return get(INITIAL_CLUSTER_TOKEN);
    }

    public String discovery() {
        return get(DISCOVERY);
    }

    public String discoveryProxy() {
        return get(DISCOVERY_PROXY);
    }

    public String discoveryFallback() {
        return get(DISCOVERY_FALLBACK);
    }

    public String discoverySrv() {
        return get(DISCOVERY_SRV);
    }

    public String discoverySrvName() {
        return get(DISCOVERY_SRV_NAME);
    }

    /** --discovery-token (etcd 3.6's v3 discovery), or "". */
    public String discoveryToken() {
        return get(DISCOVERY_TOKEN);
    }

    /** --discovery-endpoints, sorted and unique as etcd keeps them; empty without v3 discovery. */
    public List<String> discoveryEndpoints() {
        return List.copyOf(get(DISCOVERY_ENDPOINTS));
    }

    /** Whether this member bootstraps through etcd 3.6's v3 discovery (etcd: endpoints are set). */
    public boolean usesV3Discovery() {
        return !get(DISCOVERY_ENDPOINTS).isEmpty();
    }

    /** Whether a new member takes its initial cluster from a discovery service (v2 or v3); etcd's ShouldDiscover. */
    public boolean shouldDiscover() {
        return !discovery().isEmpty() || usesV3Discovery();
    }

    public boolean strictReconfigCheck() {
        return get(STRICT_RECONFIG_CHECK);
    }

    public boolean preVote() {
        return get(PRE_VOTE);
    }

    public String autoCompactionMode() {
        return get(AUTO_COMPACTION_MODE);
    }

    /** --auto-compaction-retention as given. */
    public String autoCompactionRetention() {
        return get(AUTO_COMPACTION_RETENTION);
    }

    /** The retention as etcd's compactor gets it (see {@link AutoCompaction#retention}). */
    public Duration autoCompactionRetentionDuration() {
        return AutoCompaction.retention(autoCompactionMode(), autoCompactionRetention());
    }

    public boolean enableV2() {
        return get(ENABLE_V2);
    }

    public String v2Deprecation() {
        return get(V2_DEPRECATION);
    }

    public boolean forceNewCluster() {
        return get(FORCE_NEW_CLUSTER);
    }

    public boolean unsafeNoFsync() {
        return get(UNSAFE_NO_FSYNC);
    }

    /** The v2 proxy mode: off, readonly or on. */
    public String proxyMode() {
        return get(PROXY_MODE);
    }

    /** --proxy-failure-wait: how long an unreachable endpoint is left out. */
    public Duration proxyFailureWait() {
        return Duration.ofMillis(get(PROXY_FAILURE_WAIT));
    }

    /** --proxy-refresh-interval: how often the proxy asks the cluster for its members. */
    public Duration proxyRefreshInterval() {
        return Duration.ofMillis(get(PROXY_REFRESH_INTERVAL));
    }

    /** --proxy-dial-timeout (0: no bound). */
    public Duration proxyDialTimeout() {
        return Duration.ofMillis(get(PROXY_DIAL_TIMEOUT));
    }

    /** --proxy-write-timeout (0: no bound). */
    public Duration proxyWriteTimeout() {
        return Duration.ofMillis(get(PROXY_WRITE_TIMEOUT));
    }

    /** --proxy-read-timeout (0: no bound). */
    public Duration proxyReadTimeout() {
        return Duration.ofMillis(get(PROXY_READ_TIMEOUT));
    }

    // ------------------------------------------------------------ security
    /** TLS of the client listeners. */
    public TransportSecurity clientSecurity() {
        return new TransportSecurity(get(CERT_FILE), get(KEY_FILE), get(CLIENT_CERT_FILE), get(CLIENT_KEY_FILE),
                get(TRUSTED_CA_FILE), get(CLIENT_CERT_AUTH), get(CLIENT_CRL_FILE), get(CLIENT_CERT_ALLOWED_CN),
                get(CLIENT_CERT_ALLOWED_HOSTNAME), get(AUTO_TLS), false, tlsPolicy());
    }

    /** TLS of the peer listeners and of connections to peers. */
    public TransportSecurity peerSecurity() {
        return new TransportSecurity(get(PEER_CERT_FILE), get(PEER_KEY_FILE), get(PEER_CLIENT_CERT_FILE),
                get(PEER_CLIENT_KEY_FILE), get(PEER_TRUSTED_CA_FILE), get(PEER_CLIENT_CERT_AUTH),
                get(PEER_CRL_FILE), get(PEER_CERT_ALLOWED_CN), get(PEER_CERT_ALLOWED_HOSTNAME),
                get(PEER_AUTO_TLS), get(EXPERIMENTAL_PEER_SKIP_CLIENT_SAN_VERIFICATION), tlsPolicy());
    }

    /** --cipher-suites, --tls-min-version, --tls-max-version. */
    public TlsPolicy tlsPolicy() {
        return new TlsPolicy(cipherSuites(), tlsMinVersion(), tlsMaxVersion());
    }

    public List<String> cipherSuites() {
        return get(CIPHER_SUITES);
    }

    /** "TLS1.2", "TLS1.3". */
    public String tlsMinVersion() {
        return get(TLS_MIN_VERSION);
    }

    /** "TLS1.2", "TLS1.3" or "" (runtime's highest). */
    public String tlsMaxVersion() {
        return get(TLS_MAX_VERSION);
    }

    /** CORS origins ("*": any). */
    public SortedSet<String> cors() {
        return get(CORS);
    }

    public SortedSet<String> hostWhitelist() {
        return get(HOST_WHITELIST);
    }

    // ------------------------------------------------------------ auth, monitoring, logging
    public String authToken() {
        return get(AUTH_TOKEN);
    }

    public long bcryptCost() {
        return get(BCRYPT_COST);
    }

    public Duration authTokenTtl() {
        return Duration.ofSeconds(get(AUTH_TOKEN_TTL));
    }

    public boolean enablePprof() {
        return get(ENABLE_PPROF);
    }

    /** "basic" or "extensive". */
    public String metrics() {
        return get(METRICS);
    }

    public boolean enableGrpcGateway() {
        return get(ENABLE_GRPC_GATEWAY);
    }

    public String logger() {
        return get(LOGGER);
    }

    public String logLevel() {
        return get(LOG_LEVEL);
    }

    public SortedSet<String> logOutputs() {
        return get(LOG_OUTPUTS);
    }

    /** "json" or "console". */
    public String logFormat() {
        return get(LOG_FORMAT);
    }

    /** The logging flags as the logger takes them (rotation only with --enable-log-rotation). */
    public LogSettings logSettings() {
        return new LogSettings(logLevel(), List.copyOf(logOutputs()), logFormat(),
                get(ENABLE_LOG_ROTATION)
                        ? Optional.of(LogRotation.fromJson(get(LOG_ROTATION_CONFIG_JSON)))
                        : Optional.empty());
    }

    /**
     * Metrics and slow-work warning settings. The slow unary request threshold is
     * --warning-unary-request-duration, or its experimental name when only that one was set.
     */
    public ObservabilitySettings observability() {
        Duration unary = get(WARNING_UNARY_REQUEST_DURATION);
        Duration experimental = get(EXPERIMENTAL_WARNING_UNARY_REQUEST_DURATION);
        if (unary.equals(WARNING_UNARY_REQUEST_DURATION.defaultValue())) {
            unary = experimental;
        }
        return new ObservabilitySettings(metrics().equals("extensive"),
                listenMetricsUrls().stream().map(URI::toString).toList(), get(EXPERIMENTAL_WARNING_APPLY_DURATION),
                unary);
    }

    public boolean experimentalInitialCorruptCheck() {
        return get(EXPERIMENTAL_INITIAL_CORRUPT_CHECK);
    }

    public boolean experimentalEnableLeaseCheckpoint() {
        return get(EXPERIMENTAL_ENABLE_LEASE_CHECKPOINT);
    }

    public boolean experimentalEnableLeaseCheckpointPersist() {
        return get(EXPERIMENTAL_ENABLE_LEASE_CHECKPOINT_PERSIST);
    }

    /** --experimental-bootstrap-defrag-threshold-megabytes (0: off). */
    public long bootstrapDefragThresholdMegabytes() {
        return get(EXPERIMENTAL_BOOTSTRAP_DEFRAG_THRESHOLD_MEGABYTES);
    }

    /** --experimental-initial-corrupt-check and --experimental-corrupt-check-time. */
    public CorruptionCheckSettings corruptionCheck() {
        return new CorruptionCheckSettings(experimentalInitialCorruptCheck(),
                get(EXPERIMENTAL_CORRUPT_CHECK_TIME));
    }

    /** Compaction batch size in force (1000 when the flag is 0). */
    public long effectiveCompactionBatchLimit() {
        long v = get(EXPERIMENTAL_COMPACTION_BATCH_LIMIT);
        return v <= 0 ? 1000 : v;
    }

    /** Pause between compaction batches in force (10ms when the flag is 0). */
    public Duration effectiveCompactionSleepInterval() {
        Duration d = get(EXPERIMENTAL_COMPACTION_SLEEP_INTERVAL);
        return d.isZero() || d.isNegative() ? Duration.ofMillis(10) : d;
    }

    /** How physical compactions go in force: the batch limit and the pause between batches. */
    public CompactionPacing compactionPacing() {
        return new CompactionPacing((int) Math.min(Integer.MAX_VALUE, effectiveCompactionBatchLimit()),
                effectiveCompactionSleepInterval());
    }

    /** Watch progress notification period in force (10m when the flag is 0). */
    public Duration effectiveWatchProgressNotifyInterval() {
        Duration d = get(EXPERIMENTAL_WATCH_PROGRESS_NOTIFY_INTERVAL);
        return d.isZero() || d.isNegative() ? Duration.ofMinutes(10) : d;
    }

    /** The bootstrap membership and IDs for a static or discovery start (see {@link BootstrapVerification}). */
    public InitialCluster initialClusterModel() {
        return BootstrapVerification.initialCluster(this);
    }

    /** Every command-line flag as {@code --name=value} text, in help order (for logging). */
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (Flag<?> f : EtcdFlags.all()) {
            if (f.section() == Flag.Section.HIDDEN) {
                continue;
            }
            b.append("--").append(f.name()).append('=').append(display(f)).append('\n');
        }
        return b.toString();
    }

    private <T> String display(Flag<T> f) {
        return f.type().display(get(f));
    }

    @Override
    public String toString() {
        return "EtcdConfig{name=" + name() + ", dataDir=" + dataDir() + ", source=" + source + "}";
    }
}
