package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.AuthEnableRequest;
import io.etcdj.api.etcdserverpb.AuthGrpc;
import io.etcdj.api.etcdserverpb.AuthUserAddRequest;
import io.etcdj.api.etcdserverpb.AuthUserGrantRoleRequest;
import io.etcdj.api.etcdserverpb.AuthenticateRequest;
import io.etcdj.api.etcdserverpb.ClusterGrpc;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.Member;
import io.etcdj.api.etcdserverpb.MemberListRequest;
import io.etcdj.api.etcdserverpb.MemberListResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.bootstrap.DiscoveryException;
import io.etcdj.server.bootstrap.DiscoveryRetry;
import io.etcdj.server.config.EtcdConfig;
import io.etcdj.server.config.EtcdConfigParser;
import io.etcdj.server.config.MemberIds;
import io.etcdj.server.config.StartupLog;
import io.etcdj.server.proxy.v2.V2Proxy;
import io.etcdj.testsupport.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd 3.6's v3 discovery, end to end in one JVM: a running one-member etcdj cluster holds the
 * registry; an operator puts {@code /_etcd/registry/<token>/_config/size = 3}; three members
 * started with only {@code --discovery-token} and {@code --discovery-endpoints} (each on its own
 * loopback address) register, wait for each other and form one cluster with the IDs etcd 3.6
 * would give them; a v2 proxy given the token finds them; a fourth member with the same token is
 * refused, as the cluster is full.
 */
class V3DiscoveryClusterTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final DiscoveryRetry FAST = new DiscoveryRetry(5, Duration.ofMillis(10), 3);

    @TempDir
    Path root;
    DiscoveryService service;
    final List<EtcdMember> members = new ArrayList<>();
    final List<ManagedChannel> channels = new ArrayList<>();
    final List<Throwable> fatal = new ArrayList<>();

    @AfterEach
    void stop() {
        channels.forEach(ManagedChannel::shutdownNow);
        members.forEach(EtcdMember::close);
        if (service != null) {
            service.close();
        }
    }

    /** One member's command line: bin/etcd --name vN ... --discovery-token T --discovery-endpoints E. */
    record MemberFlags(String name, String clientUrl, String peerUrl, String[] args) {}

    MemberFlags flags(int i, String token, String endpoint) {
        return flags(root, i, token, endpoint);
    }

    /** Member {@code i} (1–3 on 127.0.0.i, others on 127.0.0.1), its data under {@code root}. */
    static MemberFlags flags(Path root, int i, String token, String endpoint) {
        String host = "127.0.0." + (i > 3 ? 1 : i);
        String client = "http://" + host + ":" + FreePorts.on(host);
        String peer = "http://" + host + ":" + FreePorts.on(host);
        return new MemberFlags("v" + i, client, peer, new String[] {"--name", "v" + i,
                "--data-dir", root.resolve("v" + i + ".etcd").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--discovery-token", token, "--discovery-endpoints", endpoint,
                "--heartbeat-interval", "20", "--election-timeout", "200"});
    }

    /** What bin/etcd does with these flags: parse, discover (the member has no data), open and start. */
    EtcdMember startLikeBinEtcd(MemberFlags f, StartupLog log) throws Exception {
        EtcdConfig config = EtcdConfigParser.parse(f.args(), Map.of(), StartupLog.NONE);
        boolean initialized = Files.isDirectory(config.dataDir().resolve("member"));
        MemberSettings settings = EtcdMain.bootstrapSettings(config, initialized, FAST, log);
        EtcdMember m = EtcdMember.open(settings, t -> {
            synchronized (fatal) {
                fatal.add(t);
            }
        });
        m.start();
        return m;
    }

    CompletableFuture<EtcdMember> startAsync(MemberFlags f, StartupLog log) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return startLikeBinEtcd(f, log);
            } catch (Exception e) {
                throw new RuntimeException(f.name() + " did not start", e);
            }
        });
    }

    ManagedChannel channel(String clientUrl) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(clientUrl.replace("http://", "")).usePlaintext().build();
        channels.add(ch);
        return ch;
    }

    void put(String clientUrl, String key, String value) {
        KVGrpc.newBlockingStub(channel(clientUrl)).withDeadlineAfter(10, TimeUnit.SECONDS)
                .put(PutRequest.newBuilder().setKey(utf8(key)).setValue(utf8(value)).build());
    }

    List<KeyValue> prefix(String clientUrl, String prefix) {
        return KVGrpc.newBlockingStub(channel(clientUrl)).withDeadlineAfter(10, TimeUnit.SECONDS)
                .range(RangeRequest.newBuilder().setKey(utf8(prefix)).setRangeEnd(utf8(prefix + "\uffff")).build())
                .getKvsList();
    }

    @Test
    void threeMembersFormOneClusterThroughTheRegistryAndAFourthIsRefused() throws Exception {
        service = DiscoveryService.start(root.resolve("registry"));
        String endpoint = service.clientUrl();
        String token = "v3-" + UUID.randomUUID();
        put(endpoint, "/_etcd/registry/" + token + "/_config/size", "3");
        List<MemberFlags> flags = List.of(flags(1, token, endpoint), flags(2, token, endpoint), flags(3, token, endpoint));

        StartupLog.Recording firstLog = new StartupLog.Recording();
        CompletableFuture<EtcdMember> first = startAsync(flags.get(0), firstLog);
        EtcdCluster.awaitCondition(WAIT, "v1 registered and waiting for 2 more", () -> firstLog.entries().stream()
                .anyMatch(e -> e.message().equals("waiting for peers from discovery service")
                        && Integer.valueOf(1).equals(e.fields().get("found-peers"))));
        assertThat(first).isNotDone();
        CompletableFuture<EtcdMember> second = startAsync(flags.get(1), StartupLog.NONE);
        CompletableFuture<EtcdMember> third = startAsync(flags.get(2), StartupLog.NONE);
        for (CompletableFuture<EtcdMember> f : List.of(first, second, third)) {
            members.add(f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }

        // each registered as /_etcd/registry/<token>/members/<id hex> = name=peerURL, IDs hashed with the token
        String expectedCluster = "v1=" + flags.get(0).peerUrl() + ",v2=" + flags.get(1).peerUrl()
                + ",v3=" + flags.get(2).peerUrl();
        List<KeyValue> registered = prefix(endpoint, "/_etcd/registry/" + token + "/members/");
        assertThat(registered).hasSize(3);
        for (int i = 0; i < 3; i++) {
            MemberFlags f = flags.get(i);
            long id = MemberIds.memberId(List.of(f.peerUrl()), token);
            assertThat(members.get(i).memberId()).isEqualTo(id);
            assertThat(members.get(i).settings().initialCluster().toString()).isEqualTo(expectedCluster);
            assertThat(registered).anyMatch(kv -> kv.getKey().toStringUtf8()
                    .equals("/_etcd/registry/" + token + "/members/" + Long.toHexString(id))
                    && kv.getValue().toStringUtf8().equals(f.name() + "=" + f.peerUrl()));
        }
        EtcdCluster.awaitCondition(WAIT, "all three members listed with their names and client URLs", () -> {
            MemberListResponse list = ClusterGrpc.newBlockingStub(channel(flags.get(2).clientUrl()))
                    .withDeadlineAfter(5, TimeUnit.SECONDS).memberList(MemberListRequest.getDefaultInstance());
            return list.getMembersCount() == 3 && list.getMembersList().stream()
                    .allMatch(m -> !m.getName().isEmpty() && m.getClientURLsCount() == 1);
        });
        MemberListResponse list = ClusterGrpc.newBlockingStub(channel(flags.get(0).clientUrl()))
                .withDeadlineAfter(5, TimeUnit.SECONDS).memberList(MemberListRequest.getDefaultInstance());
        assertThat(list.getMembersList()).extracting(Member::getName).containsExactlyInAnyOrder("v1", "v2", "v3");
        put(flags.get(0).clientUrl(), "greeting", "hello");
        EtcdCluster.awaitCondition(WAIT, "v3 serves the replicated key", () ->
                !prefix(flags.get(2).clientUrl(), "greeting").isEmpty());

        // a v2 proxy given the same token reads the registry without registering, and forwards to all three
        String proxyUrl = "http://127.0.0.1:" + EtcdCluster.freePort();
        V2Proxy proxy = V2Proxy.start(EtcdConfigParser.parse(new String[] {"--proxy", "on", "--data-dir",
                root.resolve("proxy.etcd").toString(), "--listen-client-urls", proxyUrl, "--discovery-token", token,
                "--discovery-endpoints", endpoint}, Map.of(), StartupLog.NONE), FAST, StartupLog.NONE);
        try {
            List<String> clientUrls = flags.stream().map(MemberFlags::clientUrl).sorted().toList();
            EtcdCluster.awaitCondition(WAIT, "the proxy forwards to the three members", () -> {
                Matcher m = Pattern.compile("\"(http://[^\"]+)\"")
                        .matcher(new V2ProxyClient(proxyUrl).get("/v2/config/local/proxy").body());
                List<String> found = new ArrayList<>();
                while (m.find()) {
                    found.add(m.group(1));
                }
                return found.stream().sorted().toList().equals(clientUrls);
            });
        } finally {
            proxy.close();
        }
        assertThat(prefix(endpoint, "/_etcd/registry/" + token + "/members/")).hasSize(3);

        // a fourth member finds three others ahead of it: refused before it registers, exit status 1
        StartupLog.Recording fourthLog = new StartupLog.Recording();
        MemberFlags fourth = flags(4, token, endpoint);
        EtcdConfig config = EtcdConfigParser.parse(fourth.args(), Map.of(), StartupLog.NONE);
        assertThatThrownBy(() -> EtcdMain.bootstrapSettings(config, false, FAST, fourthLog))
                .isInstanceOfSatisfying(DiscoveryException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("discovery: cluster is full");
                    assertThat(e.reason()).isEqualTo(DiscoveryException.Reason.FULL_CLUSTER);
                    StartupLog.Recording report = new StartupLog.Recording();
                    assertThat(DiscoveryFailureReport.reportV3(e, token, report)).isEqualTo(1);
                    assertThat(report.entries().get(0).fields())
                            .containsEntry("error", "failed to join discovery cluster (discovery: cluster is full)");
                });
        assertThat(fourthLog.entries()).anyMatch(e -> e.message().equals("discovery failed to join cluster"));
        assertThat(prefix(endpoint, "/_etcd/registry/" + token + "/members/")).hasSize(3);
        assertThat(Files.exists(root.resolve("v4.etcd").resolve("member"))).isFalse();
        synchronized (fatal) {
            assertThat(fatal).isEmpty();
        }
    }

    @Test
    void fourMembersStartingAtOnceForSizeThreeGiveOneClusterOfThreeAndOneRefusal() throws Exception {
        service = DiscoveryService.start(root.resolve("registry"));
        String endpoint = service.clientUrl();
        put(endpoint, "/_etcd/registry/race/_config/size", "3");
        List<MemberFlags> flags = List.of(flags(1, "race", endpoint), flags(2, "race", endpoint),
                flags(3, "race", endpoint), flags(4, "race", endpoint));
        List<CompletableFuture<EtcdMember>> starts = flags.stream().map(f -> startAsync(f, StartupLog.NONE)).toList();
        List<Throwable> refused = new ArrayList<>();
        for (CompletableFuture<EtcdMember> f : starts) {
            try {
                members.add(f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                refused.add(e.getCause().getCause());
            }
        }
        // whoever registered fourth (by create revision) is out; the other three agree on one cluster
        assertThat(refused).singleElement().isInstanceOfSatisfying(DiscoveryException.class,
                e -> assertThat(e.reason()).isEqualTo(DiscoveryException.Reason.FULL_CLUSTER));
        assertThat(members).hasSize(3);
        String cluster = members.get(0).settings().initialCluster().toString();
        for (EtcdMember m : members) {
            assertThat(m.settings().initialCluster().toString()).isEqualTo(cluster);
            assertThat(cluster).contains(m.settings().name() + "=");
        }
        put(members.get(0).settings().listenClientUrls().get(0), "k", "v"); // waits for a leader, then commits
    }

    @Test
    void aTokenWithoutASizeKeyFailsAtOnce() throws Exception {
        service = DiscoveryService.start(root.resolve("registry"));
        EtcdConfig config = EtcdConfigParser.parse(flags(1, "no-size", service.clientUrl()).args(), Map.of(),
                StartupLog.NONE);
        assertThatThrownBy(() -> EtcdMain.bootstrapSettings(config, false, FAST, StartupLog.NONE))
                .isInstanceOf(DiscoveryException.class).hasMessage("discovery: size key not found");
        put(service.clientUrl(), "/_etcd/registry/bad-size/_config/size", "0");
        EtcdConfig bad = EtcdConfigParser.parse(flags(1, "bad-size", service.clientUrl()).args(), Map.of(),
                StartupLog.NONE);
        assertThatThrownBy(() -> EtcdMain.bootstrapSettings(bad, false, FAST, StartupLog.NONE))
                .isInstanceOf(DiscoveryException.class).hasMessage("discovery: size key is bad");
    }

    @Test
    void anUnreachableEndpointIsPassedOver() throws Exception {
        service = DiscoveryService.start(root.resolve("registry"));
        put(service.clientUrl(), "/_etcd/registry/solo/_config/size", "1");
        String dead = "127.0.0.1:" + FreePorts.on("127.0.0.1");
        // sorted, the dead endpoint comes first ("127.0.0.1:…" before "http://…")
        MemberFlags f = flags(1, "solo", dead + "," + service.clientUrl());
        members.add(startLikeBinEtcd(f, StartupLog.NONE));
        assertThat(members.get(0).settings().initialCluster().toString()).isEqualTo("v1=" + f.peerUrl());
        put(f.clientUrl(), "k", "v"); // a one-member cluster that serves
    }

    @Test
    void aRegistryWithAuthenticationIsJoinedAsTheDiscoveryUser() throws Exception {
        service = DiscoveryService.start(root.resolve("registry"));
        String endpoint = service.clientUrl();
        AuthGrpc.AuthBlockingStub auth = AuthGrpc.newBlockingStub(channel(endpoint)).withDeadlineAfter(20, TimeUnit.SECONDS);
        auth.userAdd(AuthUserAddRequest.newBuilder().setName("root").setPassword("rootpw").build());
        auth.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("root").setRole("root").build());
        auth.authEnable(AuthEnableRequest.getDefaultInstance());
        String token = auth.authenticate(AuthenticateRequest.newBuilder().setName("root").setPassword("rootpw").build())
                .getToken();
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER), token);
        KVGrpc.newBlockingStub(channel(endpoint)).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .withDeadlineAfter(10, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                        .setKey(utf8("/_etcd/registry/authed/_config/size")).setValue(utf8("2")).build());

        MemberFlags wrong = withArgs(flags(1, "authed", endpoint), "--discovery-user", "root",
                "--discovery-password", "nope");
        EtcdConfig config = EtcdConfigParser.parse(wrong.args(), Map.of(), StartupLog.NONE);
        assertThatThrownBy(() -> EtcdMain.bootstrapSettings(config, false, FAST, StartupLog.NONE))
                .isInstanceOf(DiscoveryException.class)
                .hasMessage("etcdserver: authentication failed, invalid user ID or password");

        // two members: gets, puts and the watch for the other member all carry the user's token
        CompletableFuture<EtcdMember> first = startAsync(withArgs(flags(1, "authed", endpoint),
                "--discovery-user", "root", "--discovery-password", "rootpw"), StartupLog.NONE);
        CompletableFuture<EtcdMember> second = startAsync(withArgs(flags(2, "authed", endpoint),
                "--discovery-user", "root", "--discovery-password", "rootpw"), StartupLog.NONE);
        members.add(first.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        members.add(second.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(members.get(0).settings().initialCluster().members()).hasSize(2);
        assertThat(members.get(0).settings().initialCluster().toString())
                .isEqualTo(members.get(1).settings().initialCluster().toString());
    }

    static MemberFlags withArgs(MemberFlags f, String... more) {
        String[] args = Arrays.copyOf(f.args(), f.args().length + more.length);
        System.arraycopy(more, 0, args, f.args().length, more.length);
        return new MemberFlags(f.name(), f.clientUrl(), f.peerUrl(), args);
    }

    static ByteString utf8(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
