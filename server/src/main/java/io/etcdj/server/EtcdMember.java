package io.etcdj.server;

import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.HashKVRequest;
import io.etcdj.api.etcdserverpb.HashKVResponse;
import io.etcdj.api.etcdserverpb.MemberPromoteRequest;
import io.etcdj.mvcc.lease.Lessor;
import io.etcdj.mvcc.lease.LessorConfig;
import io.etcdj.mvcc.watch.WatchSyncLoop;
import io.etcdj.raft.RawNode;
import io.etcdj.raft.SnapshotStatus;
import io.etcdj.raft.Status;
import io.etcdj.server.apply.AppliedIndex;
import io.etcdj.server.apply.ApplierThread;
import io.etcdj.server.apply.EntryApplier;
import io.etcdj.server.apply.SnapshotRestorer;
import io.etcdj.server.apply.Snapshotter;
import io.etcdj.server.apply.WaitRegistry;
import io.etcdj.server.auth.AuthStore;
import io.etcdj.server.auth.AuthTokenSpec;
import io.etcdj.server.auth.PasswordHasher;
import io.etcdj.server.bootstrap.BootstrappedRaft;
import io.etcdj.server.bootstrap.RaftBootstrap;
import io.etcdj.server.clientport.ClientHttpEndpoints;
import io.etcdj.server.clientport.DebugVarsEndpoint;
import io.etcdj.server.clientport.HealthEndpoint;
import io.etcdj.server.clientport.MetricsEndpoint;
import io.etcdj.server.clientport.MetricsListeners;
import io.etcdj.server.compaction.AutoCompactor;
import io.etcdj.server.config.EtcdVersion;
import io.etcdj.server.corruption.CorruptionChecker;
import io.etcdj.server.corruption.CorruptionMonitor;
import io.etcdj.server.corruption.PeerHashCollector;
import io.etcdj.server.etcdimport.EtcdDataDirImport;
import io.etcdj.server.logging.SlowRequestLog;
import io.etcdj.server.membership.Member;
import io.etcdj.server.membership.Membership;
import io.etcdj.server.membership.ReconfigurationCheck;
import io.etcdj.server.metrics.GrpcMetricsInterceptor;
import io.etcdj.server.metrics.MemberMetrics;
import io.etcdj.server.metrics.PeerTrafficMetrics;
import io.etcdj.server.metrics.V2HttpMetrics;
import io.etcdj.server.raft.ElectionTickAdvance;
import io.etcdj.server.raft.LeaderWaiters;
import io.etcdj.server.raft.LeadershipHandOff;
import io.etcdj.server.raft.RaftListener;
import io.etcdj.server.raft.RaftLoop;
import io.etcdj.server.raft.RaftStats;
import io.etcdj.server.read.ReadIndexBatcher;
import io.etcdj.server.storage.BootstrapDefragmentation;
import io.etcdj.server.storage.FsyncTimedLog;
import io.etcdj.server.storage.MvccServerBackend;
import io.etcdj.server.tls.MemberTls;
import io.etcdj.server.transport.PeerHttpMember;
import io.etcdj.server.transport.PeerHttpRoutes;
import io.etcdj.server.transport.PeerRoundTripProber;
import io.etcdj.server.transport.PeerServer;
import io.etcdj.server.transport.PeerService;
import io.etcdj.server.transport.PeerTransport;
import io.etcdj.server.v2.http.V2HttpHandler;
import io.etcdj.server.v2.http.V2Router;
import io.etcdj.server.v2.replicated.RaftV2Cluster;
import io.etcdj.server.v2.replicated.V2ExpirySync;
import io.etcdj.server.v2.replicated.V2StateMachine;
import io.etcdj.server.v3.ClientHealth;
import io.etcdj.server.v3.ClientServer;
import io.etcdj.server.v3.GrpcLeaseForwarder;
import io.etcdj.server.v3.GrpcReplies;
import io.etcdj.server.v3.LearnerGate;
import io.etcdj.server.v3.RequireLeader;
import io.etcdj.server.v3.TokenInterceptor;
import io.etcdj.server.v3.WatchService;
import io.etcdj.wal.DataDir;
import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One etcd member: the composition root that opens the data dir, the backend and the WAL,
 * bootstraps raft and wires the raft loop, applier, ReadIndex batcher, peer transport and client
 * server together. {@link #open} only builds (no thread runs until {@link #start}); {@link #close}
 * stops everything in reverse order and releases the files.
 */
public final class EtcdMember implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EtcdMember.class);

    private final MemberSettings settings;
    private final DataDir dataDir;
    private final MvccServerBackend backend;
    private final BootstrappedRaft raft;
    private final RaftLoop loop;
    private final ApplierThread applier;
    private final PeerTransport transport;
    private final PeerServer peerServer;
    private final PeerRoundTripProber prober;
    private final MetricsListeners metricsListeners;
    private final RaftEtcdServer server;
    private final ClientServer clientServer;
    private final MemberPublisher publisher;
    private final ExecutorService readExecutor;
    private final LeaseForwarder leaseForwarder;
    private final LeaseExpiryTimer leaseTimer;
    /** --auto-compaction-*: the leader's own compactions (none when the retention is 0). */
    private final Optional<AutoCompactor> autoCompactor;
    private final WatchSyncLoop watchSync;
    private final WatchService watchService;
    /** Null unless --enable-v2. */
    private final V2ExpirySync v2Expiry;
    private final ExecutorService maintenanceExecutor;
    private final ClientHealth health;
    /** Ends "hasleader" streams once this member has lost its leader for good (etcd's monitorLeader). */
    private final RequireLeader requireLeader;
    /** Compares this member's HashKV with its peers' (--experimental-initial-corrupt-check). */
    private final CorruptionChecker corruptionChecker;
    /** --experimental-corrupt-check-time: the leader's periodic check (none when 0). */
    private final Optional<CorruptionMonitor> corruptionMonitor;
    /** Whether the data dir held a WAL when opened (etcd's "member initialized"). */
    private final boolean restarted;
    private boolean started;
    private boolean closed;

    private EtcdMember(MemberSettings settings, DataDir dataDir, MvccServerBackend backend, BootstrappedRaft raft,
                       boolean restarted, MemberTls tls, Consumer<Throwable> fatalHandler, Runnable removedHandler) {
        this.settings = settings;
        this.restarted = restarted;
        this.dataDir = dataDir;
        this.backend = backend;
        this.raft = raft;
        long id = raft.memberId();
        Membership membership = raft.membership();
        WaitRegistry waits = new WaitRegistry();
        AppliedIndex appliedIndex = new AppliedIndex(raft.raftApplied());
        LoopRef loopRef = new LoopRef();
        MemberMetrics metrics = new MemberMetrics(settings.observability().extensiveMetrics());
        PeerTrafficMetrics peerTraffic = new PeerTrafficMetrics(metrics);
        this.transport = new PeerTransport(id, membership.clusterId(), new PeerTransport.RaftFeedback() {
            @Override
            public void unreachable(long peerId) {
                loopRef.loop.reportUnreachable(peerId);
            }

            @Override
            public void snapshot(long peerId, SnapshotStatus status) {
                loopRef.loop.reportSnapshot(peerId, status);
            }
        }, backend::checkpoint, dataDir.snapDir(), tls.peerChannels(), peerTraffic);
        this.prober = new PeerRoundTripProber(transport::peerChannels, peerTraffic, settings.name());
        RaftStats raftStats = new RaftStats(id, EtcdMember::unixNanos);
        transport.observeSends(raftStats::sent);
        Lessor lessor = backend.lessor();
        V2StateMachine v2 = new V2StateMachine(backend);
        long electionNanos = settings.electionTimeout().toNanos();
        AuthStore authStore;
        try {
            authStore = new AuthStore(backend, settings.auth().tokenProvider());
        } catch (AuthTokenSpec.InvalidAuthToken e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        EntryApplier entryApplier = new EntryApplier(id, backend, membership, waits,
                cc -> loopRef.loop.applyConfChange(cc).join(), removedHandler, term -> {
                    // etcd: the leader promotes its lessor once the empty entry of its term is applied
                    RaftLoop l = loopRef.loop;
                    if (l.view().isLeader() && l.view().term() == term) {
                        lessor.promote(electionNanos);
                        if (!l.view().isLeader()) {
                            lessor.demote(); // lost it meanwhile; the listener's demote may have run first
                        }
                    }
                    loopRef.decideClusterVersion(v2, membership);
                }, () -> loopRef.decideClusterVersion(v2, membership), authStore, v2,
                settings.observability().warningApplyDuration());
        this.applier = new ApplierThread(entryApplier, appliedIndex, fatalHandler,
                applied -> loopRef.snapshotter.afterApplied(applied),
                snapshot -> loopRef.restorer.accept(snapshot));
        metrics.watchers(() -> backend.watchable().watcherCount(), () -> backend.watchable().unsyncedCount());
        backend.onCommit(nanos -> metrics.backendCommitSeconds.observe(MemberMetrics.seconds(nanos)));
        this.loop = new RaftLoop(id, raft.node(), raft.storage(),
                new FsyncTimedLog(raft.log(), nanos -> metrics.walFsyncSeconds.observe(MemberMetrics.seconds(nanos))),
                transport, applier::enqueue, appliedIndex::await,
                settings.heartbeatInterval().toMillis(), fatalHandler);
        loopRef.loop = loop;
        loopRef.snapshotter = new Snapshotter(backend, membership, loop, settings.snapshotCount(),
                settings.snapshotCatchUpEntries(), raft.raftApplied());
        loopRef.restorer = new SnapshotRestorer(backend, membership,
                index -> PeerService.receivedCheckpoint(dataDir.snapDir(), index), loopRef.snapshotter,
                () -> {
                    authStore.reload();
                    v2.reload();
                });
        int retryTicks = (int) Math.max(1, 500 / Math.max(1, settings.heartbeatInterval().toMillis()));
        ReadIndexBatcher reads = new ReadIndexBatcher(loop::readIndex, appliedIndex, retryTicks);
        loop.addListener(reads);
        loop.addListener(new RaftListener() {
            private long lastLeader;

            @Override
            public void onLeaderChange(long leader, long term) {
                if (leader != 0 && leader != lastLeader) {
                    metrics.leaderChanges.inc();
                    lastLeader = leader;
                }
                if (leader != id && lessor.isPrimary()) {
                    lessor.demote();
                }
            }
        });
        membership.onChange(transport::updateMembers);
        loop.addListener(raftStats);
        LearnerReadiness learnerReadiness = new LearnerReadiness(id, loop, transport::peerChannels);
        PeerService peerService = new PeerService(() -> membership, m -> {
            raftStats.received(m);
            loop.step(m);
        }, dataDir.snapDir(), peerTraffic);
        peerService.answerLearnerQueries(learnerReadiness::answer);
        this.peerServer = new PeerServer(settings.listenPeerUrls(), peerService,
                tls.peerServer(), new PeerHttpRoutes(peerHttpMember(id, membership)));
        this.leaseForwarder = new GrpcLeaseForwarder(tls.clientChannels());
        this.readExecutor = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                daemonThreads("reads-" + settings.name()));
        this.maintenanceExecutor = Executors.newSingleThreadExecutor(daemonThreads("maintenance-" + settings.name()));
        LeaderWaiters leaderWaiters = new LeaderWaiters(loop.view());
        loop.addListener(leaderWaiters);
        this.health = new ClientHealth();
        loop.addListener(health);
        MemberMaintenance maintenance = new MemberMaintenance(id, membership, loop, leaderWaiters, backend,
                maintenanceExecutor, dataDir.snapDir(), settings.requestTimeout());
        ProposalTimeoutReason timeoutReason = new ProposalTimeoutReason(id, membership, transport::connectedSince,
                () -> loop.view().leader(), settings.electionTimeout(), System::nanoTime);
        loop.addListener(timeoutReason);
        this.server = new RaftEtcdServer(id, membership, loop, waits, reads, appliedIndex, backend, readExecutor,
                new RequestIdGenerator(id, System.currentTimeMillis()), settings.requestTimeout(),
                settings.maxRequestBytes(), EtcdVersion.SERVER, leaseForwarder, authStore,
                new PasswordHasher(settings.auth().bcryptCost()), settings.quotaBackendBytes(), maintenance,
                metrics.proposalsFailed::inc, leaderWaiters, new ReconfigurationCheck(
                        settings.strictReconfigCheck(), id, membership, transport::connectedSince),
                learnerReadiness, timeoutReason);
        loopRef.server = server;
        peerService.answerHashKvQueries((request, response) ->
                GrpcReplies.reply(server.hashKv(request), response));
        this.corruptionChecker = new CorruptionChecker(new MemberHasher(id, backend, server,
                new PeerHashCollector(id, transport::peerChannels, peer -> {
                    Member m = membership.member(peer);
                    return m == null ? List.of() : m.peerUrls();
                }, settings.requestTimeout())), settings.requestTimeout());
        this.corruptionMonitor = settings.corruptionCheck().periodic()
                ? Optional.of(new CorruptionMonitor(corruptionChecker, settings.corruptionCheck().period(),
                        () -> loop.view().isLeader()))
                : Optional.empty();
        this.leaseTimer = new LeaseExpiryTimer(loop.view(), backend::lessor, server, settings.name());
        this.autoCompactor = AutoCompactor.of(settings.autoCompaction().mode(),
                settings.autoCompaction().retention(), backend::currentRevision, () -> loop.view().isLeader(),
                rev -> server.compact(CompactionRequest.newBuilder().setRevision(rev).build()));
        this.watchSync = new WatchSyncLoop(backend.watchable());
        this.watchService = new WatchService(server, settings.name(), settings.watchProgressInterval());
        this.requireLeader = new RequireLeader(() -> loop.view().leader(),
                settings.electionTimeout(), settings.name());
        List<BindableService> services = new ArrayList<>(
                ClientServer.kvServices(server, settings.maxTxnOps()));
        services.add(TokenInterceptor.wrap(watchService));
        services.add(health.service());
        Optional<V2HttpHandler> v2Api = Optional.empty();
        if (settings.enableV2()) {
            RaftV2Cluster v2Cluster = new RaftV2Cluster(server, v2, raftStats, settings.name(), EtcdMember::unixNanos);
            this.v2Expiry = new V2ExpirySync(v2Cluster, settings.name());
            v2Api = Optional.of(new V2HttpMetrics(metrics, new V2Router(v2Cluster, EtcdMember::unixNanos,
                    settings.clientSecurity().clientCertAuth())));
        } else {
            this.v2Expiry = null;
        }
        HealthEndpoint healthEndpoint = new HealthEndpoint(server);
        MetricsEndpoint metricsEndpoint = new MetricsEndpoint(server, metrics, EtcdVersion.SERVER, EtcdVersion.CLUSTER);
        this.clientServer = new ClientServer(settings.listenClientUrls(), services, settings.maxRequestBytes(), tls.clientServer(),
                new ClientHttpEndpoints(healthEndpoint, versionJson(), metricsEndpoint, v2Api,
                        new DebugVarsEndpoint(this::raftStatusOrNull)),
                inOrder(new LearnerGate(() -> {
                            Member self = membership.member(id);
                            return self != null && self.learner();
                        }), requireLeader, new GrpcMetricsInterceptor(metrics),
                        new SlowRequestLog(settings.observability().warningUnaryRequestDuration())),
                settings.clientAccess(), settings.grpcKeepalive(), settings.grpcGateway(),
                settings.listenClientHttpUrls());
        server.takeUsersFromClientCertificates(settings.clientSecurity().clientCertAuth());
        clientServer.authEnabled(() -> authStore.state().enabled());
        this.metricsListeners = new MetricsListeners(settings.observability().listenMetricsUrls(), metricsEndpoint,
                healthEndpoint, tls.clientServer());
        this.publisher = new MemberPublisher(server, settings.name(), settings.advertiseClientUrls());
    }

    /** The raft status for /debug/vars, taken on the raft loop; null if the loop does not answer in a second. */
    private Status raftStatusOrNull() {
        try {
            return loop.call(RawNode::status).get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /** The interceptors as one, the first outermost (it sees a call first), as etcd chains its own. */
    private static ServerInterceptor inOrder(ServerInterceptor... outerFirst) {
        ServerInterceptor chain = outerFirst[outerFirst.length - 1];
        for (int i = outerFirst.length - 2; i >= 0; i--) {
            ServerInterceptor outer = outerFirst[i];
            ServerInterceptor inner = chain;
            chain = new ServerInterceptor() {
                @Override
                public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call,
                        Metadata headers, ServerCallHandler<Q, A> next) {
                    return outer.interceptCall(call, headers, (c, h) -> inner.interceptCall(c, h, next));
                }
            };
        }
        return chain;
    }

    private static long unixNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** The /version body. */
    /** What the peer port's HTTP/1.1 answers ask of this member (the server is read per request). */
    private PeerHttpMember peerHttpMember(long id, Membership membership) {
        return new PeerHttpMember() {
            @Override
            public long id() {
                return id;
            }

            @Override
            public Membership membership() {
                return membership;
            }

            @Override
            public String versionJson() {
                return EtcdMember.versionJson();
            }

            @Override
            public Lessor lessor() {
                return backend.lessor();
            }

            @Override
            public CompletableFuture<HashKVResponse> hashKv(long revision) {
                return server.hashKv(HashKVRequest.newBuilder().setRevision(revision).build());
            }

            @Override
            public CompletableFuture<List<Member>> promote(
                    long memberId) {
                return server.memberPromote(MemberPromoteRequest.newBuilder()
                        .setID(memberId).build()).thenApply(promoted -> membership.members());
            }
        };
    }

    private static String versionJson() {
        return "{\"etcdserver\":\"" + EtcdVersion.SERVER + "\",\"etcdcluster\":\"" + EtcdVersion.CLUSTER + "\"}";
    }

    /** The raft loop is built after the parts that report to it. */
    private static final class LoopRef {
        volatile RaftLoop loop;
        volatile Snapshotter snapshotter;
        volatile SnapshotRestorer restorer;
        volatile RaftEtcdServer server;

        /**
         * On the leader, once every member has published its client URLs and while no cluster version
         * is recorded, proposes ours (etcd's leader decides it from the members' versions; all of
         * ours run this one). Runs on the applier thread and never waits: a duplicate proposal is a
         * no-op when applied.
         */
        void decideClusterVersion(V2StateMachine v2, Membership membership) {
            RaftEtcdServer s = server;
            RaftLoop l = loop;
            if (s != null && l != null && l.view().isLeader() && v2.clusterVersion() == null
                    && membership.members().stream().noneMatch(m -> m.clientUrls().isEmpty())) {
                s.proposeClusterVersion(EtcdVersion.CLUSTER);
            }
        }
    }

    /** {@link #open(MemberSettings, Consumer, Runnable)} ignoring this member's removal. */
    public static EtcdMember open(MemberSettings settings, Consumer<Throwable> fatalHandler) throws IOException {
        return open(settings, fatalHandler, () -> { });
    }

    /**
     * Imports etcd's data dir if etcd wrote it ({@link EtcdDataDirImport}), opens the
     * data dir (locking it), the backend and the WAL and bootstraps raft; starts nothing.
     *
     * @param fatalHandler called when the raft loop or the applier fails (the member is then dead)
     * @param removedHandler called on the applier thread when this member was removed from the
     *     cluster (etcd then stops); it must not close the member on that thread
     */
    public static EtcdMember open(MemberSettings settings, Consumer<Throwable> fatalHandler, Runnable removedHandler)
            throws IOException {
        // a data dir that etcd wrote becomes ours first, once (the operator swapped etcd's binary for ours)
        EtcdDataDirImport.run(settings.dataDir(), settings.walDir(), settings.auth().bcryptCost());
        DataDir dataDir = DataDir.open(settings.dataDir(), settings.walDir());
        MvccServerBackend backend = null;
        try {
            boolean hasWal = dataDir.hasWal();
            MemberMaintenance.removeLeftoverCheckpoints(dataDir.snapDir());
            backend = MvccServerBackend.open(dataDir.backendPath(), lessorConfig(settings), settings.compactionPacing());
            BootstrapDefragmentation.maybeDefragment(backend,
                    settings.bootstrapDefragThresholdMegabytes());
            MemberTls tls = MemberTls.of(settings);
            BootstrappedRaft raft = RaftBootstrap.run(settings, dataDir.walDir(), dataDir.snapDir(), hasWal, backend,
                    tls.peerChannels());
            return new EtcdMember(settings, dataDir, backend, raft, hasWal, tls, fatalHandler, removedHandler);
        } catch (IOException | RuntimeException e) {
            if (backend != null) {
                backend.close();
            }
            dataDir.close();
            throw e;
        }
    }

    /** etcd's lessor checkpoint interval (not a flag in etcd 3.5: its default, 5 minutes). */
    static final Duration LEASE_CHECKPOINT_INTERVAL = Duration.ofMinutes(5);

    /**
     * etcd's lessor settings: minimum TTL from the election timeout in ticks, checkpoints every 5
     * minutes only with --experimental-enable-lease-checkpoint (stored with -persist), an unrevoked
     * expired lease offered again after the request timeout.
     */
    static LessorConfig lessorConfig(MemberSettings s) {
        int electionTicks = (int) Math.max(1, s.electionTimeout().toMillis() / Math.max(1, s.heartbeatInterval().toMillis()));
        return new LessorConfig(LessorConfig.minLeaseTtl(electionTicks, s.heartbeatInterval()),
                s.leaseCheckpoint() ? LEASE_CHECKPOINT_INTERVAL : Duration.ZERO,
                s.leaseCheckpoint() && s.leaseCheckpointPersist(), s.requestTimeout());
    }

    public synchronized void start() throws IOException {
        if (started) {
            throw new IllegalStateException("already started");
        }
        clientServer.refuseUrlsInBothLists();
        if (settings.corruptionCheck().initial() && restarted) {
            checkInitialHashKv();
        }
        started = true;
        peerServer.start();
        transport.updateMembers(raft.membership().members());
        applier.start("applier-" + settings.name());
        loop.start();
        ElectionTickAdvance.begin(raft.memberId(), raft.membership().members().size(),
                settings.initialElectionTickAdvance(), settings.electionTicks(), settings.heartbeatInterval(),
                transport::connectedPeers, loop::advanceTicks, loop::addListener);
        watchSync.start();
        leaseTimer.start();
        autoCompactor.ifPresent(c -> c.start(settings.name()));
        watchService.start();
        if (v2Expiry != null) {
            v2Expiry.start();
        }
        corruptionMonitor.ifPresent(m -> m.start(settings.name(), raft.memberId()));
        clientServer.start();
        metricsListeners.start();
        prober.start();
        publisher.start();
        if (settings.listenClientHttpUrls().isEmpty()) {
            log.info("member {} ({}) started: clients on {}, peers on {}", settings.name(),
                    Long.toHexString(raft.memberId()), settings.listenClientUrls(), settings.listenPeerUrls());
        } else {
            log.info("member {} ({}) started: gRPC clients on {}, HTTP clients on {}, peers on {}", settings.name(),
                    Long.toHexString(raft.memberId()), settings.listenClientUrls(), settings.listenClientHttpUrls(),
                    settings.listenPeerUrls());
        }
    }

    /**
     * --experimental-initial-corrupt-check on a member with data (a new one has nothing to compare),
     * as etcd does it: before raft runs and before the peer port serves, with only the links to the
     * peers up to ask them.
     */
    private void checkInitialHashKv() throws IOException {
        transport.updateMembers(raft.membership().members());
        try {
            corruptionChecker.initialCheck();
        } catch (CorruptionChecker.DataInconsistency e) {
            log.atError().setMessage("checkInitialHashKV failed").addKeyValue("error", e.getMessage()).log();
            throw e;
        }
    }

    /** Completes once this member has joined the cluster and serves clients (etcd's ReadyNotify). */
    public CompletableFuture<Void> ready() {
        return publisher.published();
    }

    public EtcdServer server() {
        return server;
    }

    public long memberId() {
        return raft.memberId();
    }

    public MemberSettings settings() {
        return settings;
    }

    /** Stops serving, stops every thread, then closes the WAL and the backend and unlocks the data dir. */
    @Override
    public void close() {
        close(true);
    }

    /**
     * As {@link #close}, but a leader does not first hand leadership over: for a whole cluster
     * stopping at once (an embedded one), where every would-be transferee is stopping too and the
     * hand-off could only wait out its timeout.
     */
    public void closeWithoutLeadershipHandOff() {
        close(false);
    }

    private synchronized void close(boolean handOffLeadership) {
        if (closed) {
            return;
        }
        closed = true;
        log.atInfo().setMessage("closing etcd server").addKeyValue("name", settings.name())
                .addKeyValue("data-dir", settings.dataDir().toString())
                .addKeyValue("advertise-peer-urls", settings.advertisePeerUrls())
                .addKeyValue("advertise-client-urls", settings.advertiseClientUrls()).log();
        if (started && handOffLeadership) {
            LeadershipHandOff.handOff(loop, raft.memberId(), settings.electionTimeout().multipliedBy(2));
        }
        publisher.stop();
        health.stopping();
        metricsListeners.close();
        clientServer.close();
        if (v2Expiry != null) {
            v2Expiry.close();
        }
        watchService.close();
        requireLeader.close();
        leaseTimer.close();
        autoCompactor.ifPresent(AutoCompactor::close);
        corruptionMonitor.ifPresent(CorruptionMonitor::close);
        leaseForwarder.close();
        watchSync.close();
        server.markStopped();
        applier.stop(); // first: it may be waiting for the loop, which is still there to answer
        loop.stop();
        prober.close();
        transport.close();
        peerServer.close();
        readExecutor.shutdownNow();
        maintenanceExecutor.shutdownNow();
        try {
            readExecutor.awaitTermination(5, TimeUnit.SECONDS);
            maintenanceExecutor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            raft.log().close();
        } catch (IOException e) {
            log.warn("closing the WAL failed", e);
        }
        backend.close();
        try {
            dataDir.close();
        } catch (IOException e) {
            log.warn("unlocking the data dir failed", e);
        }
        log.atInfo().setMessage("closed etcd server").addKeyValue("name", settings.name())
                .addKeyValue("data-dir", settings.dataDir().toString()).log();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
