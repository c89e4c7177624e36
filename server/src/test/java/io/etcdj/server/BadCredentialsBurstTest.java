package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.AuthEnableRequest;
import io.etcdj.api.etcdserverpb.AuthGrpc;
import io.etcdj.api.etcdserverpb.AuthRoleAddRequest;
import io.etcdj.api.etcdserverpb.AuthUserAddRequest;
import io.etcdj.api.etcdserverpb.AuthUserGrantRoleRequest;
import io.etcdj.api.etcdserverpb.AuthenticateRequest;
import io.etcdj.api.etcdserverpb.AuthenticateResponse;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.server.auth.AuthSettings;
import io.etcdj.server.config.TransportSecurity;
import io.etcdj.server.tls.OpenSslPki;
import io.etcdj.server.tls.TlsHandshake;
import io.etcdj.server.tls.TlsMaterial;
import io.etcdj.server.transport.MemberChannels;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of bad credentials leaves the member healthy and serving: hundreds of logins with
 * wrong passwords or unknown users, forged tokens, and malformed TLS on the client and peer
 * ports (random bytes, plaintext HTTP, truncated records, untrusted certificates, connections
 * left silent). Bounded in count and time; the random bytes come from a printed seed
 * ({@code -Dburst.seed=N} replays it).
 */
class BadCredentialsBurstTest {
    private static final int BAD_LOGINS = 300;
    private static final int BAD_CONNECTIONS = 200;

    @TempDir
    Path root;

    @Test
    void theMemberStaysHealthyAndServingThroughABurstOfBadLoginsAndMalformedHandshakes() throws Exception {
        long seed = Long.getLong("burst.seed", System.nanoTime());
        System.out.println("BadCredentialsBurstTest seed " + seed + " (replay: -Dburst.seed=" + seed + ")");
        Random random = new Random(seed);
        OpenSslPki pki = new OpenSslPki(root.resolve("pki"), "ca");
        Path[] member = pki.leaf("member", "etcd");
        TransportSecurity server = new TransportSecurity(member[0].toString(), member[1].toString(), "", "",
                pki.caCert.toString(), false, "", List.of(), List.of(), false, false);
        TransportSecurity peer = new TransportSecurity(member[0].toString(), member[1].toString(), "", "",
                pki.caCert.toString(), true, "", List.of(), List.of(), false, false);
        OpenSslPki strangers = new OpenSslPki(root.resolve("other"), "other-ca");
        Path[] stranger = strangers.leaf("stranger", "etcd");
        TransportSecurity strangerCert = new TransportSecurity(stranger[0].toString(), stranger[1].toString(), "", "",
                pki.caCert.toString(), false, "", List.of(), List.of(), false, false);
        List<ManagedChannel> opened = new ArrayList<>();
        try (EtcdCluster c = EtcdCluster.start(root.resolve("cluster"), 1, 10_000, 5_000,
                s -> s.withSecurity(server, peer).withAuth(new AuthSettings(4, Duration.ofMinutes(5))), "https")) {
            c.awaitLeader(Duration.ofSeconds(30));
            String clientUrl = c.member(0).settings().listenClientUrls().get(0);
            String peerUrl = c.member(0).settings().listenPeerUrls().get(0);
            ManagedChannel ch = MemberChannels.using(TlsMaterial.client(server, root.resolve("unused"), List.of()))
                    .open(clientUrl, 16 << 20);
            opened.add(ch);
            AuthGrpc.AuthBlockingStub auth = AuthGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
            auth.userAdd(AuthUserAddRequest.newBuilder().setName("root").setPassword("right").build());
            auth.roleAdd(AuthRoleAddRequest.newBuilder().setName("root").build());
            auth.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("root").setRole("root").build());
            auth.authEnable(AuthEnableRequest.getDefaultInstance());

            // bad logins, all in flight at once
            ConcurrentHashMap<String, Integer> answers = new ConcurrentHashMap<>();
            CountDownLatch done = new CountDownLatch(BAD_LOGINS);
            AuthGrpc.AuthStub async = AuthGrpc.newStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS);
            for (int i = 0; i < BAD_LOGINS; i++) {
                String user = i % 3 == 0 ? "nobody-" + i : "root";
                async.authenticate(AuthenticateRequest.newBuilder().setName(user).setPassword("wrong-" + i).build(),
                        new StreamObserver<>() {
                            @Override public void onNext(AuthenticateResponse r) { answers.merge("token!", 1, Integer::sum); }
                            @Override public void onError(Throwable t) {
                                answers.merge(String.valueOf(Status.fromThrowable(t).getDescription()), 1,
                                        Integer::sum);
                                done.countDown();
                            }
                            @Override public void onCompleted() { done.countDown(); }
                        });
            }
            // forged tokens (naming raft indexes already applied: a future one waits for it, as in etcd)
            for (int i = 0; i < 50; i++) {
                String forged = i % 2 == 0 ? "abcdefghijklmnop." + (1 + i % 3) : "eyJhbGciOiJIUzI1NiJ9.e30.forged" + (char) ('a' + i % 26);
                try {
                    kv(ch, forged).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build());
                    answers.merge("served a forged token!", 1, Integer::sum);
                } catch (StatusRuntimeException e) {
                    assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: invalid auth token");
                }
            }
            // malformed TLS: random bytes, plaintext, a truncated record, an untrusted certificate, silence
            List<Socket> silent = new ArrayList<>();
            try {
                for (int i = 0; i < BAD_CONNECTIONS; i++) {
                    String url = i % 2 == 0 ? clientUrl : peerUrl;
                    URI u = URI.create(url);
                    switch (i % 5) {
                        case 0 -> {
                            byte[] junk = new byte[1 + random.nextInt(2048)];
                            random.nextBytes(junk);
                            sendAndClose(u, junk);
                        }
                        case 1 -> sendAndClose(u, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                        case 2 -> sendAndClose(u, new byte[] {0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x00});
                        case 3 -> assertThat(TlsHandshake.with(url, strangerCert).accepted())
                                .as("a certificate from another CA at " + url).isFalse();
                        default -> {
                            if (silent.size() < 20) {
                                Socket s = new Socket();
                                s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 5_000);
                                silent.add(s);
                            }
                        }
                    }

                }
                assertThat(done.await(60, TimeUnit.SECONDS)).as("every bad login answered").isTrue();
                assertThat(answers).containsOnlyKeys("etcdserver: authentication failed, invalid user ID or password");

                // still healthy and serving, while the silent connections are still open
                HttpClient https = HttpClient.newBuilder()
                        .sslContext(TlsMaterial.client(server, root.resolve("unused"), List.of()).sslContext()).build();
                HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create(clientUrl + "/health"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.body()).contains("\"health\":\"true\"");
                String token = auth.withDeadlineAfter(10, TimeUnit.SECONDS).authenticate(AuthenticateRequest
                        .newBuilder().setName("root").setPassword("right").build()).getToken();
                kv(ch, token).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))
                        .setValue(ByteString.copyFromUtf8("still serving")).build());
                ManagedChannel fresh = MemberChannels.using(TlsMaterial.client(server, root.resolve("unused"), List.of()))
                        .open(clientUrl, 16 << 20);
                opened.add(fresh);
                assertThat(kv(fresh, token).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))
                        .build()).getKvs(0).getValue().toStringUtf8()).isEqualTo("still serving");
                assertThat(TlsHandshake.with(peerUrl, peer).accepted()).as("a member may still connect").isTrue();
            } finally {
                for (Socket s : silent) {
                    s.close();
                }
            }
        } finally {
            opened.forEach(ManagedChannel::shutdownNow);
        }
    }

    private static void sendAndClose(URI u, byte[] bytes) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 5_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException closedByTheMember) {
                // a refusal may reset the connection mid-write: that is the member saying no
            }
        }
    }

    private static KVGrpc.KVBlockingStub kv(ManagedChannel ch, String token) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER), token);
        return KVGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }
}
