package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.api.etcdserverpb.Member;
import io.etcdj.api.etcdserverpb.MemberListRequest;
import io.etcdj.api.etcdserverpb.MemberListResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.server.config.EtcdVersion;
import io.etcdj.server.config.TransportSecurity;
import io.etcdj.server.gateway.ReferenceEtcd;
import io.etcdj.server.tls.OpenSslPki;
import io.etcdj.server.tls.TlsMaterial;
import com.google.protobuf.ByteString;
import io.etcdj.testsupport.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer port answers plain HTTP/1.1 as etcd's does (beside the gRPC our members speak on it):
 * the same requests to the reference etcd 3.4's peer port and to ours get the same status, the
 * same etcd headers and the same body (the member's own IDs, URLs and versions aside); over https
 * the peer TLS rules hold for HTTP/1.1 too; raft keeps working on the same ports.
 */
class PeerPortHttpTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient PLAIN = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /** The requests a curl might make: every endpoint, the wrong methods, unknown and unclean paths. */
    private static final List<String> REQUESTS = List.of(
            "GET /members", "GET /version", "GET /raft/probing", "POST /raft/probing", "GET /members?x=1",
            "POST /members", "PUT /members", "DELETE /version", "HEAD /members",
            "GET /leases", "PUT /leases/internal", "POST /leases",
            "GET /members/promote/1", "POST /members/promote/1", "POST /members/promote/abc",
            "POST /members/promote/%31", "GET /members/promote", "POST /members/promote", "GET /members/promote/",
            "GET /raft", "POST /raft", "GET /raft/snapshot", "POST /raft/snapshot", "GET /raft/stream",
            "GET /raft/stream/", "GET /raft/stream/msgapp/1", "POST /raft/stream/message/1", "GET /raft/foo",
            "POST /members/hashkv", "GET /", "GET /foo", "DELETE /foo", "GET /members/", "GET /health",
            "GET /metrics", "GET /v2/keys", "GET //members", "GET /raft/../version");

    @TempDir
    Path root;

    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();

    @Test
    void everyRequestToThePeerPortIsAnsweredAsTheReferenceEtcdAnswersIt() throws Exception {
        int refPeer = FreePorts.onLoopback();
        String refPeerUrl = "http://127.0.0.1:" + refPeer;
        try (ReferenceEtcd ref = new ReferenceEtcd("--listen-peer-urls", refPeerUrl,
                "--initial-advertise-peer-urls", refPeerUrl, "--initial-cluster", "default=" + refPeerUrl);
             EtcdCluster ours = EtcdCluster.start(root.resolve("ours"), 1)) {
            ours.awaitLeader(WAIT);
            String ourPeerUrl = ours.member(0).settings().listenPeerUrls().get(0);
            for (String request : REQUESTS) {
                String method = request.split(" ")[0];
                String path = request.split(" ")[1];
                Answer theirs = normalized(send(PLAIN, method, refPeerUrl + path, Map.of(), ""));
                Answer mine = normalized(send(PLAIN, method, ourPeerUrl + path, Map.of(), ""));
                assertThat(mine).as(request).isEqualTo(theirs);
            }
            // requests Go's HTTP server refuses itself, before etcd's handlers
            for (String raw : List.of("hello world\r\n\r\n", "GET /members HTTP/1.1\r\n\r\n")) {
                assertThat(rawExchange(URI.create(ourPeerUrl).getPort(), raw)).as(raw)
                        .isEqualTo(rawExchange(refPeer, raw));
            }
            // raft's compatibility checks, header by header
            Map<String, String> oldPeer = Map.of("X-Server-Version", "2.3.7");
            Map<String, String> tooNew = Map.of("X-Server-Version", "3.4.0", "X-Min-Cluster-Version", "9.0.0");
            Map<String, String> otherCluster = Map.of("X-Server-Version", "3.4.0", "X-Min-Cluster-Version", "3.0.0",
                    "X-Etcd-Cluster-ID", "1");
            for (Map<String, String> headers : List.of(oldPeer, tooNew, otherCluster)) {
                for (String request : List.of("POST /raft", "POST /raft/snapshot", "GET /raft/stream/message/1")) {
                    String method = request.split(" ")[0];
                    String path = request.split(" ")[1];
                    assertThat(normalized(send(PLAIN, method, ourPeerUrl + path, headers, "")))
                            .as(request + " " + headers)
                            .isEqualTo(normalized(send(PLAIN, method, refPeerUrl + path, headers, "")));
                }
            }
        }
    }

    @Test
    void membersOfAThreeMemberClusterWithALearnerAndItsPromotionWhileRaftGoesOn() throws Exception {
        try (EtcdCluster c = EtcdCluster.start(root.resolve("c"), 3)) {
            c.awaitLeader(WAIT);
            int learner = c.join(0, true);
            long learnerId = c.member(learner).memberId();
            EtcdCluster.awaitCondition(WAIT, "the started learner published its name", () ->
                    membersSortedById(c).stream().anyMatch(m -> m.contains("\"name\":\"m3\"")));
            String expected = "[" + String.join(",", membersSortedById(c)) + "]\n";
            for (int i = 0; i <= learner; i++) {
                int member = i;
                EtcdCluster.awaitCondition(WAIT, "member " + i + " lists every member", () ->
                        send(PLAIN, "GET", peerUrl(c, member) + "/members", Map.of(), "").body().equals(expected));
                HttpResponse<String> r = send(PLAIN, "GET", peerUrl(c, i) + "/members", Map.of(), "");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
                assertThat(r.headers().firstValue("X-Etcd-Cluster-Id")).hasValue(Long.toHexString(clusterId(c)));
            }
            assertThat(expected).contains("{\"id\":" + Long.toUnsignedString(learnerId) + ",\"peerURLs\":[\""
                    + peerUrl(c, learner) + "\"],\"isLearner\":true,\"name\":\"m3\"");

            EtcdCluster.awaitCondition(WAIT, "the learner promoted over the peer port", () -> {
                HttpResponse<String> r = send(PLAIN, "POST", peerUrl(c, 1) + "/members/promote/"
                        + Long.toUnsignedString(learnerId), Map.of(), "");
                if (r.statusCode() == 412) {
                    assertThat(r.body()).isEqualTo(
                            "etcdserver: can only promote a learner member which is in sync with leader\n");
                    return false;
                }
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                return true;
            });
            // acknowledged once applied on member 1; member 2 applies the promotion in its own time
            EtcdCluster.awaitCondition(WAIT, "the promotion applied on member 2", () ->
                    !send(PLAIN, "GET", peerUrl(c, 2) + "/members", Map.of(), "").body().contains("isLearner"));
            HttpResponse<String> again = send(PLAIN, "POST", peerUrl(c, 0) + "/members/promote/"
                    + Long.toUnsignedString(learnerId), Map.of(), "");
            assertThat(again.statusCode()).isEqualTo(412);
            assertThat(again.body()).isEqualTo("membership: can only promote a learner member\n");

            // raft on the same ports: a write through member 0 is read linearizably on the promoted member
            assertThat(putThenReadElsewhere(c, 0, learner, "k")).isEqualTo("k");
            HttpResponse<String> hash = send(PLAIN, "GET", peerUrl(c, learner) + "/members/hashkv", Map.of(),
                    "{\"revision\":0}");
            assertThat(hash.statusCode()).isEqualTo(200);
            assertThat(hash.body()).matches("\\{\"header\":\\{\"revision\":2},\"hash\":\\d+,\"compact_revision\":-1}");
        }
    }

    @Test
    void overHttpsTheHttp11AnswersFollowThePeerTlsRules() throws Exception {
        OpenSslPki pki = new OpenSslPki(root.resolve("pki"), "ca");
        Path[] member = pki.leaf("member", "etcd");
        Path[] intruder = pki.leaf("intruder", "intruder");
        TransportSecurity requiresEtcdCn = new TransportSecurity(member[0].toString(), member[1].toString(), "", "",
                pki.caCert.toString(), true, "", List.of(), List.of(), false, false)
                .withAllowed(List.of("etcd"), List.of());
        TransportSecurity noClientCertificate = new TransportSecurity(member[0].toString(), member[1].toString(),
                "", "", "", false, "", List.of(), List.of(), false, false);
        SSLContext withEtcdCert = clientContext(pki, member);
        SSLContext withIntruderCert = clientContext(pki, intruder);
        SSLContext withoutCert = clientContext(pki, null);

        try (EtcdCluster c = EtcdCluster.start(root.resolve("certs"), 3, 10_000, 5_000,
                s -> s.withSecurity(noClientCertificate, requiresEtcdCn), "https")) {
            c.awaitLeader(WAIT);
            String url = peerUrl(c, 0);
            assertThat(url).startsWith("https://");
            // the members publish their client URLs after start-up: wait until the list has them all
            EtcdCluster.awaitCondition(WAIT, "/members over https lists every member", () -> {
                HttpResponse<String> members = send(https(withEtcdCert), "GET", url + "/members", Map.of(), "");
                assertThat(members.statusCode()).isEqualTo(200);
                return members.body().equals("[" + String.join(",", membersSortedById(c)) + "]\n")
                        && members.body().split("clientURLs").length == 4;
            });
            assertThat(send(https(withEtcdCert), "GET", url + "/raft", Map.of(), "").statusCode()).isEqualTo(405);
            assertThatThrownBy(() -> send(https(withoutCert), "GET", url + "/version", Map.of(), ""))
                    .as("no client certificate").isInstanceOf(UncheckedIOException.class);
            logs.await(WAIT, "the refused HTTP/1.1 client logged as etcd logs it", e ->
                    e.getFormattedMessage().equals("rejected connection")
                            && "tls: client didn't provide a certificate".equals(CapturedLogs.fields(e).get("error")));
            assertThatThrownBy(() -> send(https(withIntruderCert), "GET", url + "/version", Map.of(), ""))
                    .as("CN=intruder").isInstanceOf(UncheckedIOException.class);
            assertThat(putThenReadElsewhere(c, 0, 2, "tls")).isEqualTo("tls");
        }
        try (EtcdCluster c = EtcdCluster.start(root.resolve("nocerts"), 1, 10_000, 5_000,
                s -> s.withSecurity(noClientCertificate, noClientCertificate), "https")) {
            c.awaitLeader(WAIT);
            HttpResponse<String> version = send(https(withoutCert), "GET", peerUrl(c, 0) + "/version", Map.of(), "");
            assertThat(version.statusCode()).isEqualTo(200);
            assertThat(version.body()).isEqualTo("{\"etcdserver\":\"" + EtcdVersion.SERVER
                    + "\",\"etcdcluster\":\"" + EtcdVersion.CLUSTER + "\"}");
        }
    }

    /** A put through member {@code writer}, then a linearizable read of it on member {@code reader}: raft at work. */
    private static String putThenReadElsewhere(EtcdCluster c, int writer, int reader, String key) throws Exception {
        c.server(writer).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8("v")).build()).get(30, TimeUnit.SECONDS);
        return c.server(reader).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build())
                .get(30, TimeUnit.SECONDS).getKvs(0).getKey().toStringUtf8();
    }

    private static MemberListResponse memberList(EtcdCluster c) {
        try {
            return c.server(0).memberList(MemberListRequest.getDefaultInstance())
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static long clusterId(EtcdCluster c) {
        return memberList(c).getHeader().getClusterId();
    }

    /** etcd's JSON of each member (the test's own rendering of MemberList), sorted by unsigned ID. */
    private static List<String> membersSortedById(EtcdCluster c) {
        List<Member> all = new ArrayList<>(memberList(c).getMembersList());
        all.sort((a, b) -> Long.compareUnsigned(a.getID(), b.getID()));
        List<String> json = new ArrayList<>();
        for (Member m : all) {
            String s = "{\"id\":" + Long.toUnsignedString(m.getID()) + ",\"peerURLs\":[\""
                    + String.join("\",\"", m.getPeerURLsList()) + "\"]" + (m.getIsLearner() ? ",\"isLearner\":true" : "");
            if (!m.getName().isEmpty()) {
                s += ",\"name\":\"" + m.getName() + "\"";
            }
            if (m.getClientURLsCount() > 0) {
                s += ",\"clientURLs\":[\"" + String.join("\",\"", m.getClientURLsList()) + "\"]";
            }
            json.add(s + "}");
        }
        return json;
    }

    /** Status, the headers etcd sets (not Date/Content-Length) and the body, with what is per-member masked. */
    record Answer(int status, Map<String, String> headers, String body) {
    }

    private static Answer normalized(HttpResponse<String> r) {
        Map<String, String> headers = new TreeMap<>();
        for (String name : List.of("Content-Type", "Allow", "Location", "X-Content-Type-Options", "X-Server-Version",
                "X-Etcd-Cluster-Id")) {
            r.headers().firstValue(name).ifPresent(v -> headers.put(name, mask(v)));
        }
        return new Answer(r.statusCode(), headers, mask(r.body()));
    }

    private static final Pattern PER_MEMBER = Pattern.compile(
            "\"id\":\\d+|127\\.0\\.0\\.1:\\d+|\"name\":\"[^\"]*\"|\"Now\":\"[^\"]*\"|^[0-9a-f]{1,16}$|^\\d+\\.\\d+\\.\\d+$"
                    + "|\"etcd(server|cluster)\":\"[^\"]*\"");

    private static String mask(String s) {
        Matcher m = PER_MEMBER.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String what = m.group();
            m.appendReplacement(b, Matcher.quoteReplacement(what.contains(":") && what.startsWith("\"")
                    ? what.substring(0, what.indexOf(':') + 1) + "*" : "*"));
        }
        return m.appendTail(b).toString();
    }

    private static HttpResponse<String> send(HttpClient client, String method, String url, Map<String, String> headers,
                                             String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code request} as is and reads the answer until the server closes; Date lines left out. */
    private static String rawExchange(int port, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.replaceAll("(?m)^Date: [^\r]*\r\n", "");
        }
    }

    private static HttpClient https(SSLContext context) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Trusts the test CA; presents {@code pair} (certificate, key) unless null. */
    private static SSLContext clientContext(OpenSslPki pki, Path[] pair) throws Exception {
        TransportSecurity s = new TransportSecurity(pair == null ? "" : pair[0].toString(),
                pair == null ? "" : pair[1].toString(), "", "", pki.caCert.toString(), false, "", List.of(), List.of(),
                false, false);
        return TlsMaterial.client(s, Path.of("unused"), List.of()).sslContext();
    }

    private static String peerUrl(EtcdCluster c, int i) {
        return c.member(i).settings().listenPeerUrls().get(0);
    }
}
