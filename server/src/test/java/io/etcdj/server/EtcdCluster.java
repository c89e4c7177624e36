package io.etcdj.server;

import io.etcdj.api.etcdserverpb.ClusterGrpc;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.MemberAddRequest;
import io.etcdj.server.auth.AuthSettings;
import io.etcdj.server.config.InitialCluster;
import io.etcdj.testsupport.Await;
import io.etcdj.testsupport.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Test fixture: N members in this JVM on 127.0.0.1 with distinct free ports and data dirs under
 * a temp dir, fast raft timing (heartbeat 20 ms, election 200 ms). Members can be stopped and
 * restarted on the same data dir; every member's gRPC client port is reachable through
 * {@link #kv(int)}.
 */
final class EtcdCluster implements AutoCloseable {
    private final List<MemberSettings> settings = new ArrayList<>();
    private EtcdMember[] members;
    private final Map<Integer, ManagedChannel> channels = new LinkedHashMap<>();
    private final List<Throwable> fatal = new ArrayList<>();

    private EtcdCluster(Path root, int size, long snapshotCount, long catchUpEntries) {
        this(root, size, snapshotCount, catchUpEntries, "http");
    }

    /** {@code scheme}: "http", or "https" for every client and peer URL (TLS comes from the settings). */
    private EtcdCluster(Path root, int size, long snapshotCount, long catchUpEntries, String scheme) {
        Map<String, List<URI>> peers = new LinkedHashMap<>();
        int[] clientPorts = new int[size];
        int[] peerPorts = new int[size];
        for (int i = 0; i < size; i++) {
            clientPorts[i] = freePort();
            peerPorts[i] = freePort();
            peers.put(name(i), List.of(URI.create(scheme + "://127.0.0.1:" + peerPorts[i])));
        }
        InitialCluster ic = InitialCluster.of(peers, "etcd-cluster-test");
        for (int i = 0; i < size; i++) {
            String client = scheme + "://127.0.0.1:" + clientPorts[i];
            String peer = scheme + "://127.0.0.1:" + peerPorts[i];
            settings.add(new MemberSettings(name(i), root.resolve(name(i) + ".etcd"), null,
                    List.of(client), List.of(client), List.of(peer), List.of(peer), ic, true,
                    Duration.ofMillis(20), Duration.ofMillis(200), snapshotCount, catchUpEntries, 5, 5,
                    1536 * 1024, 128, true, false));
        }
        members = new EtcdMember[size];
    }

    /** Starts {@code size} members forming a new cluster. */
    static EtcdCluster start(Path root, int size) {
        return start(root, size, 10_000, 5_000);
    }

    /** With a small --snapshot-count and catch-up entries, to exercise snapshots. */
    static EtcdCluster start(Path root, int size, long snapshotCount, long catchUpEntries) {
        return start(root, size, snapshotCount, catchUpEntries, UnaryOperator.identity());
    }

    /** With every member's settings changed by {@code tweak} (e.g. {@code s -> s.withEnableV2(true)}). */
    static EtcdCluster start(Path root, int size, long snapshotCount, long catchUpEntries,
                             UnaryOperator<MemberSettings> tweak) {
        return start(root, size, snapshotCount, catchUpEntries, tweak, "http");
    }

    static EtcdCluster start(Path root, int size, long snapshotCount, long catchUpEntries,
                             UnaryOperator<MemberSettings> tweak, String scheme) {
        EtcdCluster c = new EtcdCluster(root, size, snapshotCount, catchUpEntries, scheme);
        c.settings.replaceAll(tweak);
        for (int i = 0; i < size; i++) {
            c.startMember(i);
        }
        return c;
    }

    /** With --quota-backend-bytes set on every member. */
    static EtcdCluster startWithQuota(Path root, int size, long quotaBackendBytes) {
        return start(root, size, 10_000, 5_000, s -> s.withQuotaBackendBytes(quotaBackendBytes));
    }

    /** With other auth settings (a short token TTL, a cheap bcrypt cost). */
    static EtcdCluster start(Path root, int size, AuthSettings auth) {
        EtcdCluster c = new EtcdCluster(root, size, 10_000, 5_000);
        c.settings.replaceAll(s -> s.withAuth(auth));
        for (int i = 0; i < size; i++) {
            c.startMember(i);
        }
        return c;
    }

    static String name(int i) {
        return "m" + i;
    }

    int size() {
        return members.length;
    }

    /**
     * Adds a member through {@code Cluster.MemberAdd} on member {@code via} and starts it with
     * --initial-cluster-state=existing; returns its index.
     */
    int join(int via, boolean learner) {
        int i = size();
        int clientPort = freePort();
        int peerPort = freePort();
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        whenHealthy(() -> ClusterGrpc.newBlockingStub(channel(via))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .memberAdd(MemberAddRequest.newBuilder().addPeerURLs(peer)
                        .setIsLearner(learner).build()));
        Map<String, List<URI>> peers = new LinkedHashMap<>(settings.get(0).initialCluster().urlsByName());
        peers.put(name(i), List.of(URI.create(peer)));
        MemberSettings base = settings.get(0);
        settings.add(new MemberSettings(name(i), base.dataDir().resolveSibling(name(i) + ".etcd"), null,
                List.of(client), List.of(client), List.of(peer), List.of(peer),
                InitialCluster.of(peers, base.initialCluster().token()), false,
                base.heartbeatInterval(), base.electionTimeout(), base.snapshotCount(), base.snapshotCatchUpEntries(),
                base.maxSnapshots(), base.maxWals(), base.maxRequestBytes(), base.maxTxnOps(), base.preVote(),
                base.unsafeNoFsync()));
        members = Arrays.copyOf(members, i + 1);
        startMember(i);
        return i;
    }

    /** (Re)starts member i on its data dir. */
    void startMember(int i) {
        if (members[i] != null) {
            throw new IllegalStateException(name(i) + " is running");
        }
        try {
            EtcdMember m = EtcdMember.open(settings.get(i), t -> {
                synchronized (fatal) {
                    fatal.add(t);
                }
            });
            m.start();
            members[i] = m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Restarts member i (stopped) with its settings changed by {@code tweak} from now on. */
    void startMember(int i, UnaryOperator<MemberSettings> tweak) {
        settings.set(i, tweak.apply(settings.get(i)));
        startMember(i);
    }

    void stopMember(int i) {
        ManagedChannel ch = channels.remove(i);
        if (ch != null) {
            ch.shutdownNow();
        }
        members[i].close();
        members[i] = null;
    }

    EtcdMember member(int i) {
        return members[i];
    }

    EtcdServer server(int i) {
        return members[i].server();
    }

    boolean running(int i) {
        return members[i] != null;
    }

    KVGrpc.KVBlockingStub kv(int i) {
        ManagedChannel ch = channels.computeIfAbsent(i, k -> NettyChannelBuilder
                .forTarget(settings.get(k).listenClientUrls().get(0).replace("http://", ""))
                .usePlaintext().build());
        return KVGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    /** Member i's client URL, e.g. http://127.0.0.1:40123. */
    String clientUrl(int i) {
        return settings.get(i).listenClientUrls().get(0);
    }

    ManagedChannel channel(int i) {
        kv(i);
        return channels.get(i);
    }

    /** The index of the running member every running member agrees is the leader. */
    int awaitLeader(Duration timeout) {
        int[] found = {-1};
        awaitCondition(timeout, "a leader agreed by all running members", () -> {
            long leader = -1;
            for (int i = 0; i < size(); i++) {
                if (!running(i)) {
                    continue;
                }
                long l = server(i).raftStatus().leader();
                if (l == 0 || (leader != -1 && l != leader)) {
                    return false;
                }
                leader = l;
            }
            Optional<Integer> idx = indexOf(leader);
            idx.ifPresent(x -> found[0] = x);
            return idx.isPresent() && running(idx.get());
        });
        return found[0];
    }

    private Optional<Integer> indexOf(long memberId) {
        for (int i = 0; i < size(); i++) {
            if (running(i) && members[i].memberId() == memberId) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    List<Throwable> fatalErrors() {
        synchronized (fatal) {
            return List.copyOf(fatal);
        }
    }

    /**
     * Runs a membership change, again while the cluster answers "unhealthy cluster": etcd's strict
     * reconfiguration check refuses changes until every link has been up for 5 s.
     */
    static <T> T whenHealthy(Supplier<T> change) {
        return retrying("the cluster to accept a membership change", change, "unhealthy cluster");
    }

    /**
     * Runs an idempotent call, again while it fails because leadership moved (an election on a
     * loaded machine, where 200 ms election timeouts pass easily): what etcd's clients retry.
     */
    static <T> T acrossElections(Supplier<T> call) {
        return retrying("a call across elections", call, "leader changed", "no leader", "request timed out");
    }

    private static <T> T retrying(String what, Supplier<T> call, String... transientTexts) {
        AtomicReference<T> result = new AtomicReference<>();
        awaitCondition(Duration.ofSeconds(20), what, () -> {
            try {
                result.set(call.get());
                return true;
            } catch (StatusRuntimeException e) {
                String description = String.valueOf(e.getStatus().getDescription());
                if (Arrays.stream(transientTexts).anyMatch(description::contains)) {
                    return false;
                }
                throw e;
            }
        });
        return result.get();
    }

    /** {@link Await#until}: polls {@code condition} until it holds; fails after {@code timeout}. */
    static void awaitCondition(Duration timeout, String what, BooleanSupplier condition) {
        Await.until(timeout, what, condition);
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
        for (int i = 0; i < size(); i++) {
            if (members[i] != null) {
                members[i].close();
                members[i] = null;
            }
        }
    }

    /** A port for a member: {@link FreePorts#belowEphemeralRange()} (never handed out twice by this JVM). */
    static int freePort() {
        return FreePorts.belowEphemeralRange();
    }
}
