package io.etcdj.server.v2.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The v2 auth API, side by side with the reference etcd 3.4 (--enable-v2): the requests of
 * {@link V2AuthScript}, compared by status line, headers and body byte for byte (Date, cluster id,
 * member ids and URLs masked, Content-Length checked against the body; X-Raft-Index masked too:
 * the applied index a reply shows may run one entry apart). The etcd index
 * is compared, so the auth records are written to the v2 store in etcd's order.
 * ({@code V2AuthProcessIT} plays the same script on our bin/etcd, where the records go through raft.)
 */
class V2AuthDifferentialTest {
    private static ReferenceEtcd ref;
    private static OurV2Server ours;

    @BeforeAll
    static void start() throws Exception {
        ref = new ReferenceEtcd();
        ours = new OurV2Server();
    }

    @AfterAll
    static void stop() {
        if (ref != null) {
            ref.close();
        }
        if (ours != null) {
            ours.close();
        }
    }

    @Test
    void usersRolesAndEnablingAuthAnswerAsEtcdDoes() throws Exception {
        new V2AuthScript((headers, method, target, body, type) ->
                compare(ref.clientPort, ours.clientPort, headers, method, target, body, type)).play();
    }

    /** Sends the request to both ports and asserts the masked answers are equal. */
    static void compare(int refPort, int ourPort, List<String> headers, String method, String target, String body,
                        String type) throws Exception {
        RawHttp.Reply a = RawHttp.send(refPort, method, target, body, type, 30_000, headers);
        RawHttp.Reply b = RawHttp.send(ourPort, method, target, body, type, 30_000, headers);
        String what = method + " " + target + (body == null ? "" : " " + body)
                + (headers.isEmpty() ? "" : " (with an Authorization header)");
        assertThat(render(b)).as(what).isEqualTo(render(a));
    }

    private static String checkedLength(RawHttp.Reply r, String value) {
        assertThat(Integer.parseInt(value)).as("Content-Length").isEqualTo(r.body().getBytes(StandardCharsets.UTF_8).length);
        return "<LEN>";
    }

    private static String render(RawHttp.Reply r) {
        StringBuilder s = new StringBuilder(r.statusLine()).append('\n');
        for (Map.Entry<String, String> h : r.headers()) {
            String v = switch (h.getKey()) {
                case "Date" -> "<DATE>";
                case "X-Etcd-Cluster-Id" -> "<CID>";
                case "X-Raft-Index" -> "<RAFT>";
                // ports in member URLs may differ in length; the body itself is compared below
                case "Content-Length" -> r.body().isEmpty() ? h.getValue() : checkedLength(r, h.getValue());
                default -> h.getValue();
            };
            s.append(h.getKey()).append(": ").append(v).append('\n');
        }
        return s.append('\n').append(r.body().replaceAll("\"id\":\"[0-9a-f]+\"", "\"id\":\"<ID>\"")
                .replaceAll("http://127\\.0\\.0\\.1:[0-9]+", "<URL>")).toString();
    }
}
