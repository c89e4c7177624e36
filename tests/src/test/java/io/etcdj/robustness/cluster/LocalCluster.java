package io.etcdj.robustness.cluster;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.ClusterGrpc;
import io.etcdj.api.etcdserverpb.HashKVRequest;
import io.etcdj.api.etcdserverpb.HashKVResponse;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.Member;
import io.etcdj.api.etcdserverpb.MemberAddRequest;
import io.etcdj.api.etcdserverpb.MemberListRequest;
import io.etcdj.api.etcdserverpb.MemberPromoteRequest;
import io.etcdj.api.etcdserverpb.MemberRemoveRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.StatusRequest;
import io.etcdj.api.etcdserverpb.StatusResponse;
import io.etcdj.robustness.proxy.PeerLinkProxy;
import io.etcdj.testsupport.Await;
import io.etcdj.testsupport.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Three real member processes on 127.0.0.1, .2 and .3, each behind a {@link PeerLinkProxy} on its
 * advertised peer URL, so every message between members crosses {@link #network()}.
 *
 * <p>Member i listens for clients on 127.0.0.i:client, for peers on 127.0.0.i:peer, and
 * advertises 127.0.0.i:proxy, where its proxy forwards to the peer port. Data dirs live under one
 * temp dir, deleted at {@link #close()}, which also kills every process it started (SIGKILL).
 */
public final class LocalCluster implements AutoCloseable {

    /** One member: its addresses, its process (if running) and its client channel. */
    public final class Node {
        public final String name;
        public final String ip;
        final int clientPort;
        final int peerPort;
        final int proxyPort;
        final Path dataDir;
        int failpointPort; // 0: failpoints not served
        /** Bumped by {@link #wipe}: the member that starts on the empty data dir is a new member, with a new ID. */
        volatile int incarnation;
        /**
         * How the next start on an empty data dir joins: null to bootstrap with the others
         * ({@code --initial-cluster-state new}); else the {@code --initial-cluster} list of a
         * running cluster this member was added to ({@code --initial-cluster-state existing}).
         */
        String joinCluster;
        Process process;
        PeerLinkProxy proxy;
        ManagedChannel channel;

        Node(String name, String ip) throws IOException {
            this.name = name;
            this.ip = ip;
            this.clientPort = FreePorts.on(ip);
            this.peerPort = FreePorts.on(ip);
            this.proxyPort = FreePorts.on(ip);
            this.dataDir = root.resolve(name + ".etcd");
        }

        public String clientUrl() {
            return "http://" + ip + ":" + clientPort;
        }

        public ManagedChannel channel() {
            return channel;
        }

        /** The peer URL the member advertises (its proxy), by which the cluster knows it. */
        public String peerUrl() {
            return "http://" + ip + ":" + proxyPort;
        }

        /** How often the data dir was wiped: 0 for the member the cluster bootstrapped with. */
        public int incarnation() {
            return incarnation;
        }

        public boolean running() {
            return process != null && process.isAlive();
        }

        public long pid() {
            return process.pid();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final MemberLauncher launcher;
    private final Path root;
    private final PeerNetwork network;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public LocalCluster(MemberLauncher launcher, long seed) throws IOException {
        launcher.requireExecutable();
        this.launcher = launcher;
        this.root = Files.createTempDirectory("etcdj-robustness-");
        this.token = "robustness-" + Long.toHexString(seed);
        List<String> names = List.of("m1", "m2", "m3");
        this.network = new PeerNetwork(names, seed);
        for (int i = 0; i < names.size(); i++) {
            nodes.put(names.get(i), new Node(names.get(i), "127.0.0." + (i + 1)));
            network.learnMemberAddress("127.0.0." + (i + 1), names.get(i));
        }
    }

    public PeerNetwork network() {
        return network;
    }

    public List<Node> nodes() {
        return new ArrayList<>(nodes.values());
    }

    public Node node(String name) {
        return nodes.get(name);
    }

    /**
     * Makes every member serve etcd's gofail HTTP interface (GOFAIL_HTTP) on its own address, so
     * that {@link #armFailpoint} can crash it at a named point. Call before {@link #start}; only
     * our bin/etcd (or an etcd built with gofail) serves it.
     */
    public void enableFailpoints() throws IOException {
        for (Node n : nodes.values()) {
            n.failpointPort = FreePorts.on(n.ip);
        }
    }

    /** Starts proxies and members, waits until a leader is known, and teaches the proxies member IDs. */
    public void start(Duration timeout) throws IOException {
        for (Node n : nodes.values()) {
            n.proxy = new PeerLinkProxy(new InetSocketAddress(n.ip, n.proxyPort),
                    new InetSocketAddress(n.ip, n.peerPort), network.routerFor(n.name));
            n.channel = NettyChannelBuilder.forAddress(n.ip, n.clientPort).usePlaintext().build();
        }
        for (Node n : nodes.values()) {
            launch(n);
        }
        Node leader = awaitLeader(timeout); // elected by two members: the third may not serve yet
        for (Member m : ClusterGrpc.newBlockingStub(leader.channel).withWaitForReady()
                .withDeadlineAfter(10, TimeUnit.SECONDS).memberList(MemberListRequest.getDefaultInstance()).getMembersList()) {
            network.learnMemberId(Long.toHexString(m.getID()), m.getName());
        }
        // Connections made before the IDs were known could not be attributed: make them reconnect.
        nodes.values().forEach(n -> n.proxy.closeConnections());
    }

    private void launch(Node n) throws IOException {
        launch(n, Map.of());
    }

    private void launch(Node n, Map<String, String> env) throws IOException {
        StringBuilder initial = new StringBuilder();
        for (Node m : nodes.values()) {
            if (initial.length() > 0) {
                initial.append(',');
            }
            initial.append(m.name).append('=').append(m.peerUrl());
        }
        MemberLauncher launcher = this.launcher;
        if (n.joinCluster != null) {
            launcher = launcher.joiningExisting();
            initial = new StringBuilder(n.joinCluster);
        }
        List<String> cmd = launcher.command(Map.of(
                "name", n.name,
                "dataDir", n.dataDir.toString(),
                "clientUrl", n.clientUrl(),
                "peerListenUrl", "http://" + n.ip + ":" + n.peerPort,
                "peerAdvertiseUrl", "http://" + n.ip + ":" + n.proxyPort,
                "initialCluster", initial.toString(),
                "clusterToken", token));
        Path log = root.resolve(n.name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (n.failpointPort != 0) {
            pb.environment().put("GOFAIL_HTTP", n.ip + ":" + n.failpointPort);
        }
        pb.environment().putAll(env);
        n.process = pb.start();
    }

    /** SIGKILL, then wait for the process to be gone. */
    public void kill(Node n) throws InterruptedException {
        n.process.destroyForcibly();
        n.process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts a killed member again on its existing data dir (or, after {@link #wipe} and {@link #addMember}, on a new one). */
    public void restart(Node n) throws IOException {
        if (n.running()) {
            throw new IllegalStateException(n + " is still running");
        }
        launch(n);
    }

    /** Starts a stopped member again with extra environment, e.g. {@code GOFAIL_FAILPOINTS}. */
    public void restart(Node n, Map<String, String> env) throws IOException {
        if (n.running()) {
            throw new IllegalStateException(n + " is still running");
        }
        launch(n, env);
    }

    /** The members as the leader lists them (MemberList). */
    public List<Member> members(Duration timeout) {
        Node leader = awaitLeader(timeout);
        return ClusterGrpc.newBlockingStub(leader.channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .memberList(MemberListRequest.getDefaultInstance()).getMembersList();
    }

    /** The cluster's record of {@code n} (found by its peer URL: its ID changes with each add), if it is a member. */
    public Optional<Member> member(Node n, Duration timeout) {
        return members(timeout).stream().filter(m -> m.getPeerURLsList().contains(n.peerUrl())).findFirst();
    }

    /**
     * MemberRemove of {@code n}, sent to the leader. etcd's strict reconfiguration check refuses it
     * while the cluster would be left without a quorum of members connected for the last 5 s
     * ("etcdserver: unhealthy cluster", e.g. just after another member came back), so a refusal
     * of that kind, or a request lost with a leader change, is tried again until {@code timeout}.
     */
    public void removeMember(Node n, Duration timeout) {
        reconfigure("remove " + n, timeout, () -> {
            Optional<Member> m = member(n, timeout);
            if (m.isEmpty()) {
                return true; // an earlier attempt went through after all
            }
            ClusterGrpc.newBlockingStub(awaitLeader(timeout).channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .memberRemove(MemberRemoveRequest.newBuilder().setID(m.get().getID()).build());
            return true;
        });
    }

    /** Deletes the data dir of the stopped member {@code n}: whatever starts there next is a new member. */
    public void wipe(Node n) throws IOException {
        if (n.running()) {
            throw new IllegalStateException(n + " is still running");
        }
        if (Files.exists(n.dataDir)) {
            try (Stream<Path> walk = Files.walk(n.dataDir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        n.incarnation++;
    }

    /**
     * MemberAdd of {@code n}'s peer URL (as a learner if asked), sent to the leader and retried as
     * {@link #removeMember} is. The next {@link #restart} of {@code n} joins the running cluster
     * ({@code --initial-cluster-state existing}, with the leader's member list after the add, as
     * {@code etcdctl member add} prints it). Returns the new member's ID.
     */
    public long addMember(Node n, boolean learner, Duration timeout) {
        reconfigure("add " + n + (learner ? " as learner" : ""), timeout, () -> {
            if (member(n, timeout).isEmpty()) { // else an earlier attempt went through without an answer
                ClusterGrpc.newBlockingStub(awaitLeader(timeout).channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .memberAdd(MemberAddRequest.newBuilder().addPeerURLs(n.peerUrl()).setIsLearner(learner).build());
            }
            return true;
        });
        List<Member> members = members(timeout);
        long id = members.stream().filter(m -> m.getPeerURLsList().contains(n.peerUrl())).findFirst()
                .orElseThrow(() -> new AssertionError(n + " added, but not in the member list " + members)).getID();
        StringBuilder initial = new StringBuilder();
        for (Member m : members) {
            String name = m.getID() == id ? n.name : m.getName();
            for (String url : m.getPeerURLsList()) {
                initial.append(initial.length() > 0 ? "," : "").append(name).append('=').append(url);
            }
        }
        n.joinCluster = initial.toString();
        network.learnMemberId(Long.toHexString(id), n.name);
        return id;
    }

    /** MemberPromote of the learner {@code n}, sent to the leader once; etcd's refusal is thrown as it comes. */
    public void promoteMember(Node n, Duration timeout) {
        long id = member(n, timeout).orElseThrow(() -> new AssertionError(n + " is not a member")).getID();
        ClusterGrpc.newBlockingStub(awaitLeader(timeout).channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .memberPromote(MemberPromoteRequest.newBuilder().setID(id).build());
    }

    /**
     * Runs a membership change until it succeeds, trying again while the cluster refuses it for
     * a passing reason (strict reconfiguration check, no leader, a lost answer).
     */
    private static void reconfigure(String what, Duration timeout, BooleanSupplier change) {
        RuntimeException[] last = new RuntimeException[1];
        try {
            await(what, timeout, () -> {
                try {
                    return change.getAsBoolean();
                } catch (StatusRuntimeException e) {
                    if (!passingRefusal(e)) {
                        throw e;
                    }
                    last[0] = e;
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last refusal: " + last[0], e);
        }
    }

    private static boolean passingRefusal(StatusRuntimeException e) {
        String text = String.valueOf(e.getStatus().getDescription());
        return switch (e.getStatus().getCode()) {
            case UNAVAILABLE, DEADLINE_EXCEEDED -> true;
            default -> text.contains("unhealthy cluster") || text.contains("not enough started members")
                    || text.contains("leader changed") || text.contains("no leader");
        };
    }

    /**
     * Arms the failpoint {@code name} of {@code n} with {@code panic} (gofail's PUT /name); the
     * member halts the next time it reaches that point.
     */
    public void armFailpoint(Node n, String name) throws IOException, InterruptedException {
        if (n.failpointPort == 0) {
            throw new IllegalStateException("failpoints not enabled on this cluster");
        }
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create("http://" + n.ip + ":" + n.failpointPort + "/" + name))
                            .timeout(Duration.ofSeconds(5)).PUT(HttpRequest.BodyPublishers.ofString("panic")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // A point the member passes all the time may halt it before the answer is sent.
            if (n.process.waitFor(5, TimeUnit.SECONDS)) {
                return;
            }
            throw e;
        }
        if (r.statusCode() / 100 != 2) {
            throw new IOException("arming failpoint " + name + " on " + n + ": HTTP " + r.statusCode() + " " + r.body());
        }
    }

    /** The failpoint names {@code n} serves (gofail's GET /), waiting up to {@code timeout} for the endpoint. */
    public List<String> failpointNames(Node n, Duration timeout) {
        List<String> names = new ArrayList<>();
        await("the failpoint endpoint of " + n + " (GOFAIL_HTTP; the reference etcd has none)", timeout, () -> {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://" + n.ip + ":" + n.failpointPort + "/"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                r.body().lines().filter(l -> l.contains("=")).forEach(l -> names.add(l.substring(0, l.indexOf('='))));
                return r.statusCode() == 200 && !names.isEmpty();
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        return names;
    }

    /** Waits for the process of {@code n} to end by itself and returns its exit status. */
    public int awaitExit(Node n, Duration timeout) throws InterruptedException {
        if (!n.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(n + " still running after " + timeout);
        }
        return n.process.exitValue();
    }

    /** How many lines of the log of {@code n} (all its runs) contain {@code text}. */
    public long logCount(Node n, String text) {
        try (Stream<String> lines = Files.lines(root.resolve(n.name + ".log"), StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains(text)).count();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    public void pause(Node n) throws IOException, InterruptedException {
        signal(n, "STOP");
    }

    public void resume(Node n) throws IOException, InterruptedException {
        signal(n, "CONT");
    }

    private static void signal(Node n, String sig) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(n.pid())).inheritIO().start();
        if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("kill -" + sig + " " + n.pid() + " failed");
        }
    }

    /** Maintenance.Status of a member, or empty when it does not answer within a second. */
    public Optional<StatusResponse> status(Node n) {
        try {
            return Optional.of(MaintenanceGrpc.newBlockingStub(n.channel).withDeadlineAfter(1, TimeUnit.SECONDS)
                    .status(StatusRequest.getDefaultInstance()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The member that is leader according to a majority of the members that answer, if any. */
    public Optional<Node> leader() {
        Map<Long, Integer> votes = new LinkedHashMap<>();
        Map<Long, Node> byId = new LinkedHashMap<>();
        for (Node n : nodes.values()) {
            if (!n.running()) {
                continue;
            }
            status(n).ifPresent(s -> {
                byId.put(s.getHeader().getMemberId(), n);
                if (s.getLeader() != 0) {
                    votes.merge(s.getLeader(), 1, Integer::sum);
                }
            });
        }
        return votes.entrySet().stream().filter(e -> e.getValue() >= 2).map(e -> byId.get(e.getKey()))
                .filter(Objects::nonNull).findFirst();
    }

    public Node awaitLeader(Duration timeout) {
        await("a leader elected by a majority", timeout, () -> leader().isPresent());
        return leader().orElseThrow();
    }

    /** Waits until a linearizable read succeeds on {@code n}. */
    public void awaitServing(Node n, Duration timeout) {
        await(n + " serving linearizable reads", timeout, () -> {
            n.channel.resetConnectBackoff(); // a member back from the dead answers at once, not after back-off
            try {
                KVGrpc.newBlockingStub(n.channel).withDeadlineAfter(1, TimeUnit.SECONDS)
                        .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("health")).build());
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    /** HashKV of every member at {@code revision} (0 = latest), by member name; a member that fails is missing. */
    public Map<String, HashKVResponse> hashKv(long revision) {
        Map<String, HashKVResponse> out = new LinkedHashMap<>();
        for (Node n : nodes.values()) {
            try {
                out.put(n.name, MaintenanceGrpc.newBlockingStub(n.channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .hashKV(HashKVRequest.newBuilder().setRevision(revision).build()));
            } catch (RuntimeException e) {
                // reported as missing
            }
        }
        return out;
    }

    /** {@link Await#until}, polling every 50 ms (the conditions ask members over gRPC). */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        Await.until(timeout, Duration.ofMillis(50), what, condition);
    }

    /** The member logs, for a failure message. */
    public String logTail(Node n, int lines) {
        try {
            List<String> all = Files.readAllLines(root.resolve(n.name + ".log"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        for (Node n : nodes.values()) {
            if (n.process != null) {
                n.process.destroyForcibly();
            }
        }
        for (Node n : nodes.values()) {
            try {
                if (n.process != null) {
                    n.process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (n.channel != null) {
                n.channel.shutdownNow();
            }
            if (n.proxy != null) {
                n.proxy.close();
            }
        }
        if (!Boolean.getBoolean("robustness.keepDataDirs")) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
