package io.etcdj.server;

import io.etcdj.mvcc.CompactionPacing;
import io.etcdj.server.auth.AuthSettings;
import io.etcdj.server.clientport.AccessPolicy;
import io.etcdj.server.compaction.AutoCompactionSettings;
import io.etcdj.server.corruption.CorruptionCheckSettings;
import io.etcdj.server.v3.GrpcKeepalive;
import io.etcdj.server.config.EtcdConfig;
import io.etcdj.server.config.InitialCluster;
import io.etcdj.server.config.TransportSecurity;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * What one member needs to run, taken from the parsed {@link EtcdConfig} (or written directly by
 * tests and embedders). URLs are strings as etcd prints them.
 *
 * @param walDir null for {@code <data-dir>/member/wal}
 * @param snapshotCatchUpEntries entries kept in the raft log below a snapshot (etcd: 5000)
 * @param quotaBackendBytes --quota-backend-bytes: 0 for the 2 GiB default, negative to disable the quota
 * @param strictReconfigCheck --strict-reconfig-check: refuse membership changes that could cost the quorum
 * @param clientAccess --cors and --host-whitelist on the client port's HTTP API
 * @param autoCompaction --auto-compaction-mode and --auto-compaction-retention
 * @param grpcKeepalive --grpc-keepalive-min-time, -interval and -timeout on the client port
 * @param watchProgressInterval --experimental-watch-progress-notify-interval (etcd: 10 minutes)
 * @param grpcGateway --enable-grpc-gateway: the v3 JSON gateway on the client port (etcd: on)
 * @param forceNewCluster --force-new-cluster: on a restart, become a one-member cluster of this member's data
 * @param initialElectionTickAdvance --initial-election-tick-advance: fast-forward the first election
 *     timeout once links to peers are up (a one-member cluster always does)
 * @param compactionPacing --experimental-compaction-batch-limit and -sleep-interval (etcd: 1000
 *     revisions per batch, 10 ms between batches)
 * @param listenClientHttpUrls --listen-client-http-urls: when not empty, HTTP is served only there and\n *     --listen-client-urls serve only gRPC (etcd 3.5)
 * @param corruptionCheck --experimental-initial-corrupt-check and --experimental-corrupt-check-time (etcd: off)
 * @param leaseCheckpoint --experimental-enable-lease-checkpoint: the leader checkpoints remaining TTLs (every 5 minutes, etcd's interval)
 * @param leaseCheckpointPersist --experimental-enable-lease-checkpoint-persist: applied checkpoints are stored
 * @param bootstrapDefragThresholdMegabytes --experimental-bootstrap-defrag-threshold-megabytes (0: no defragmentation at start)
 * @param newCluster --initial-cluster-state=new (false: join an existing cluster); both are
 *     ignored when the data dir already holds a WAL (restart)
 */
public record MemberSettings(
        String name,
        Path dataDir,
        Path walDir,
        List<String> listenClientUrls,
        List<String> advertiseClientUrls,
        List<String> listenPeerUrls,
        List<String> advertisePeerUrls,
        InitialCluster initialCluster,
        boolean newCluster,
        Duration heartbeatInterval,
        Duration electionTimeout,
        long snapshotCount,
        long snapshotCatchUpEntries,
        int maxSnapshots,
        int maxWals,
        long maxRequestBytes,
        long maxTxnOps,
        boolean preVote,
        boolean unsafeNoFsync,
        boolean enableV2,
        TransportSecurity clientSecurity,
        TransportSecurity peerSecurity,
        AuthSettings auth,
        long quotaBackendBytes,
        ObservabilitySettings observability,
        boolean strictReconfigCheck,
        AccessPolicy clientAccess,
        boolean forceNewCluster,
        AutoCompactionSettings autoCompaction,
        GrpcKeepalive grpcKeepalive,
        Duration watchProgressInterval,
        boolean grpcGateway,
        boolean initialElectionTickAdvance,
        CompactionPacing compactionPacing,
        List<String> listenClientHttpUrls,
        CorruptionCheckSettings corruptionCheck,
        boolean leaseCheckpoint,
        boolean leaseCheckpointPersist,
        long bootstrapDefragThresholdMegabytes) {

    /** Entries a leader keeps in its log after a snapshot so slow followers catch up without one (etcd's). */
    public static final long DEFAULT_SNAPSHOT_CATCH_UP_ENTRIES = 5000;

    /**
     * Without the v2 API (--enable-v2=false, etcd's default), without TLS, with etcd's default auth
     * settings and --quota-backend-bytes at its default (0: 2 GiB).
     */
    public MemberSettings(String name, Path dataDir, Path walDir, List<String> listenClientUrls,
                          List<String> advertiseClientUrls, List<String> listenPeerUrls, List<String> advertisePeerUrls,
                          InitialCluster initialCluster, boolean newCluster, Duration heartbeatInterval,
                          Duration electionTimeout, long snapshotCount, long snapshotCatchUpEntries, int maxSnapshots,
                          int maxWals, long maxRequestBytes, long maxTxnOps, boolean preVote, boolean unsafeNoFsync) {
        this(name, dataDir, walDir, listenClientUrls, advertiseClientUrls, listenPeerUrls, advertisePeerUrls,
                initialCluster, newCluster, heartbeatInterval, electionTimeout, snapshotCount, snapshotCatchUpEntries,
                maxSnapshots, maxWals, maxRequestBytes, maxTxnOps, preVote, unsafeNoFsync, false,
                TransportSecurity.NONE, TransportSecurity.NONE, AuthSettings.DEFAULTS, 0, ObservabilitySettings.DEFAULTS, true,
                AccessPolicy.OPEN, false, AutoCompactionSettings.OFF, GrpcKeepalive.DEFAULTS,
                Duration.ofMinutes(10), true, true, CompactionPacing.DEFAULTS, List.of(), CorruptionCheckSettings.OFF, false, false, 0);
    }

    /** The same settings with another --quota-backend-bytes. */
    public MemberSettings withQuotaBackendBytes(long bytes) {
        return with(c -> c.quotaBackendBytes = bytes);
    }

    public MemberSettings {
        listenClientUrls = List.copyOf(listenClientUrls);
        advertiseClientUrls = List.copyOf(advertiseClientUrls);
        listenPeerUrls = List.copyOf(listenPeerUrls);
        advertisePeerUrls = List.copyOf(advertisePeerUrls);
        listenClientHttpUrls = List.copyOf(listenClientHttpUrls);
        if (electionTimeout.toMillis() < 5 * heartbeatInterval.toMillis()) {
            throw new IllegalArgumentException("election timeout must be at least 5 heartbeat intervals");
        }
    }

    /** The same settings with another --max-request-bytes (gRPC's receive limit is 512 KiB above it). */
    public MemberSettings withMaxRequestBytes(long bytes) {
        return with(c -> c.maxRequestBytes = bytes);
    }

    /** The same settings with other auth settings. */
    public MemberSettings withAuth(AuthSettings other) {
        return with(c -> c.auth = other);
    }

    /** The same settings with the v2 API on or off. */
    public MemberSettings withEnableV2(boolean on) {
        return with(c -> c.enableV2 = on);
    }

    /** The same settings with TLS on the client and peer sides as given. */
    public MemberSettings withSecurity(TransportSecurity client, TransportSecurity peer) {
        return with(c -> {
            c.clientSecurity = client;
            c.peerSecurity = peer;
        });
    }

    /** The same settings with another --heartbeat-interval and --election-timeout. */
    public MemberSettings withRaftTiming(Duration heartbeat, Duration election) {
        return with(c -> {
            c.heartbeatInterval = heartbeat;
            c.electionTimeout = election;
        });
    }

    /** The same settings bootstrapping with another initial cluster (as discovery found it). */
    public MemberSettings withInitialCluster(InitialCluster cluster) {
        return with(c -> c.initialCluster = cluster);
    }

    public static MemberSettings from(EtcdConfig c) {
        return new MemberSettings(c.name(), c.dataDir(), c.walDir().orElse(null),
                strings(c.listenClientUrls()), strings(c.advertiseClientUrls()),
                strings(c.listenPeerUrls()), strings(c.advertisePeerUrls()),
                c.initialClusterModel(), c.isNewCluster(),
                c.heartbeatInterval(), c.electionTimeout(), c.snapshotCount(), c.snapshotCatchUpEntries(),
                (int) Math.min(Integer.MAX_VALUE, c.maxSnapshots()), (int) Math.min(Integer.MAX_VALUE, c.maxWals()),
                c.maxRequestBytes(), c.maxTxnOps(), c.preVote(), c.unsafeNoFsync(), c.enableV2(),
                c.clientSecurity(), c.peerSecurity(),
                new AuthSettings((int) Math.min(Integer.MAX_VALUE, c.bcryptCost()), c.authTokenTtl(), c.authToken()),
                c.quotaBackendBytes(), c.observability(), c.strictReconfigCheck(),
                new AccessPolicy(c.cors(), c.hostWhitelist()), c.forceNewCluster(),
                new AutoCompactionSettings(c.autoCompactionMode(), c.autoCompactionRetentionDuration()),
                new GrpcKeepalive(c.grpcKeepAliveMinTime(), c.grpcKeepAliveInterval(), c.grpcKeepAliveTimeout()),
                c.effectiveWatchProgressNotifyInterval(), c.enableGrpcGateway(), c.initialElectionTickAdvance(),
                c.compactionPacing(),
                strings(c.listenClientHttpUrls()),
                c.corruptionCheck(),
                c.experimentalEnableLeaseCheckpoint(),
                c.experimentalEnableLeaseCheckpointPersist(),
                c.bootstrapDefragThresholdMegabytes());
    }

    /** The same settings with another --cors / --host-whitelist policy. */
    public MemberSettings withClientAccess(AccessPolicy access) {
        return with(c -> c.clientAccess = access);
    }

    /** The same settings with --force-new-cluster on or off. */
    public MemberSettings withForceNewCluster(boolean on) {
        return with(c -> c.forceNewCluster = on);
    }

    /** The same settings with another automatic compaction. */
    public MemberSettings withAutoCompaction(AutoCompactionSettings other) {
        return with(c -> c.autoCompaction = other);
    }

    /** The same settings with other gRPC keepalive settings on the client port. */
    public MemberSettings withGrpcKeepalive(GrpcKeepalive other) {
        return with(c -> c.grpcKeepalive = other);
    }

    /** The same settings with another watch progress notification interval. */
    public MemberSettings withWatchProgressInterval(Duration interval) {
        return with(c -> c.watchProgressInterval = interval);
    }

    /** The same settings with --initial-election-tick-advance on or off. */
    public MemberSettings withInitialElectionTickAdvance(boolean on) {
        return with(c -> c.initialElectionTickAdvance = on);
    }

    /** The same settings with the v3 JSON gateway on or off. */
    public MemberSettings withGrpcGateway(boolean on) {
        return with(c -> c.grpcGateway = on);
    }

    /** The same settings with other metrics and warning settings. */
    public MemberSettings withObservability(ObservabilitySettings other) {
        return with(c -> c.observability = other);
    }

    /** The same settings with physical compactions paced otherwise. */
    public MemberSettings withCompactionPacing(CompactionPacing other) {
        return with(c -> c.compactionPacing = other);
    }

    /** The same settings with HTTP served on these URLs only (and gRPC only on the client URLs). */
    public MemberSettings withListenClientHttpUrls(List<String> other) {
        return with(c -> c.listenClientHttpUrls = other);
    }

    /** The same settings with other corruption checks. */
    public MemberSettings withCorruptionCheck(CorruptionCheckSettings other) {
        return with(c -> c.corruptionCheck = other);
    }

    /** The same settings with lease checkpoints on or off. */
    public MemberSettings withLeaseCheckpoint(boolean other) {
        return with(c -> c.leaseCheckpoint = other);
    }

    /** The same settings with checkpointed TTLs persisted or not. */
    public MemberSettings withLeaseCheckpointPersist(boolean other) {
        return with(c -> c.leaseCheckpointPersist = other);
    }

    /** The same settings with another bootstrap defragmentation threshold. */
    public MemberSettings withBootstrapDefragThresholdMegabytes(long other) {
        return with(c -> c.bootstrapDefragThresholdMegabytes = other);
    }

    /** Raft ticks per election timeout (one tick per heartbeat interval). */
    public int electionTicks() {
        return (int) (electionTimeout.toMillis() / heartbeatInterval.toMillis());
    }

    /** etcd's request timeout: 5 s plus twice the election timeout. */
    public Duration requestTimeout() {
        return Duration.ofSeconds(5).plus(electionTimeout.multipliedBy(2));
    }

    private static List<String> strings(List<URI> urls) {
        return urls.stream().map(URI::toString).toList();
    }

    /** A copy of this with {@code change} made to it (every with-er below is one such change). */
    private MemberSettings with(Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return c.build();
    }

    /** Every component, mutable, for {@link #with}. */
    private static final class Copy {
        String name;
        Path dataDir;
        Path walDir;
        List<String> listenClientUrls;
        List<String> advertiseClientUrls;
        List<String> listenPeerUrls;
        List<String> advertisePeerUrls;
        InitialCluster initialCluster;
        boolean newCluster;
        Duration heartbeatInterval;
        Duration electionTimeout;
        long snapshotCount;
        long snapshotCatchUpEntries;
        int maxSnapshots;
        int maxWals;
        long maxRequestBytes;
        long maxTxnOps;
        boolean preVote;
        boolean unsafeNoFsync;
        boolean enableV2;
        TransportSecurity clientSecurity;
        TransportSecurity peerSecurity;
        AuthSettings auth;
        long quotaBackendBytes;
        ObservabilitySettings observability;
        boolean strictReconfigCheck;
        AccessPolicy clientAccess;
        boolean forceNewCluster;
        AutoCompactionSettings autoCompaction;
        GrpcKeepalive grpcKeepalive;
        Duration watchProgressInterval;
        boolean grpcGateway;
        boolean initialElectionTickAdvance;
        CompactionPacing compactionPacing;
        List<String> listenClientHttpUrls;
        CorruptionCheckSettings corruptionCheck;
        boolean leaseCheckpoint;
        boolean leaseCheckpointPersist;
        long bootstrapDefragThresholdMegabytes;

        Copy(MemberSettings s) {
            name = s.name;
            dataDir = s.dataDir;
            walDir = s.walDir;
            listenClientUrls = s.listenClientUrls;
            advertiseClientUrls = s.advertiseClientUrls;
            listenPeerUrls = s.listenPeerUrls;
            advertisePeerUrls = s.advertisePeerUrls;
            initialCluster = s.initialCluster;
            newCluster = s.newCluster;
            heartbeatInterval = s.heartbeatInterval;
            electionTimeout = s.electionTimeout;
            snapshotCount = s.snapshotCount;
            snapshotCatchUpEntries = s.snapshotCatchUpEntries;
            maxSnapshots = s.maxSnapshots;
            maxWals = s.maxWals;
            maxRequestBytes = s.maxRequestBytes;
            maxTxnOps = s.maxTxnOps;
            preVote = s.preVote;
            unsafeNoFsync = s.unsafeNoFsync;
            enableV2 = s.enableV2;
            clientSecurity = s.clientSecurity;
            peerSecurity = s.peerSecurity;
            auth = s.auth;
            quotaBackendBytes = s.quotaBackendBytes;
            observability = s.observability;
            strictReconfigCheck = s.strictReconfigCheck;
            clientAccess = s.clientAccess;
            forceNewCluster = s.forceNewCluster;
            autoCompaction = s.autoCompaction;
            grpcKeepalive = s.grpcKeepalive;
            watchProgressInterval = s.watchProgressInterval;
            grpcGateway = s.grpcGateway;
            initialElectionTickAdvance = s.initialElectionTickAdvance;
            compactionPacing = s.compactionPacing;
            listenClientHttpUrls = s.listenClientHttpUrls;
            corruptionCheck = s.corruptionCheck;
            leaseCheckpoint = s.leaseCheckpoint;
            leaseCheckpointPersist = s.leaseCheckpointPersist;
            bootstrapDefragThresholdMegabytes = s.bootstrapDefragThresholdMegabytes;
        }

        MemberSettings build() {
            return new MemberSettings(name, dataDir, walDir, listenClientUrls, advertiseClientUrls, listenPeerUrls,
                    advertisePeerUrls, initialCluster, newCluster, heartbeatInterval, electionTimeout, snapshotCount,
                    snapshotCatchUpEntries, maxSnapshots, maxWals, maxRequestBytes, maxTxnOps, preVote,
                    unsafeNoFsync, enableV2, clientSecurity, peerSecurity, auth, quotaBackendBytes, observability,
                    strictReconfigCheck, clientAccess, forceNewCluster, autoCompaction, grpcKeepalive,
                    watchProgressInterval, grpcGateway, initialElectionTickAdvance, compactionPacing, listenClientHttpUrls,
                    corruptionCheck, leaseCheckpoint, leaseCheckpointPersist, bootstrapDefragThresholdMegabytes);
        }
    }
}
