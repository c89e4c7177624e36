package io.etcdj.etcdctl.v2;

import io.etcdj.etcdctl.print.GoJson;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The /v2/members requests (client.MembersAPI). */
final class MembersApi {
    /** A member as /v2/members lists it; an unstarted member has an empty name. */
    record Member(String id, String name, List<String> peerURLs, List<String> clientURLs) {
        static Member from(Object o) {
            Map<?, ?> m = (Map<?, ?>) o;
            return new Member(str(m.get("id")), str(m.get("name")), strings(m.get("peerURLs")),
                    strings(m.get("clientURLs")));
        }
    }

    private final V2Transport transport;
    private final Duration limit;

    MembersApi(V2Transport transport, Duration limit) {
        this.transport = transport;
        this.limit = limit;
    }

    List<Member> list() throws ClusterError, ServerError, IOException {
        V2Transport.Reply r = transport.send("GET", "/v2/members", null, limit);
        expect(r, 200);
        List<Member> out = new ArrayList<>();
        Object ms = ((Map<?, ?>) Json.parse(r.body())).get("members");
        if (ms instanceof List<?> l) {
            for (Object o : l) {
                out.add(Member.from(o));
            }
        }
        return out;
    }

    Member leader() throws ClusterError, ServerError, IOException {
        V2Transport.Reply r = transport.send("GET", "/v2/members/leader", null, limit);
        expect(r, 200);
        return Member.from(Json.parse(r.body()));
    }

    Member add(String peerURL) throws ClusterError, ServerError, IOException {
        V2Transport.Reply r = transport.sendJson("POST", "/v2/members", peerUrlsJson(List.of(peerURL)), limit);
        expect(r, 201);
        return Member.from(Json.parse(r.body()));
    }

    void remove(String id) throws ClusterError, ServerError, IOException {
        expect(transport.send("DELETE", "/v2/members/" + id, null, limit), 204);
    }

    void update(String id, List<String> peerURLs) throws ClusterError, ServerError, IOException {
        expect(transport.sendJson("PUT", "/v2/members/" + id, peerUrlsJson(peerURLs), limit), 204);
    }

    private static String peerUrlsJson(List<String> urls) {
        StringBuilder b = new StringBuilder("{\"peerURLs\":[");
        for (int i = 0; i < urls.size(); i++) {
            b.append(i > 0 ? "," : "").append(GoJson.string(urls.get(i)));
        }
        return b.append("]}").toString();
    }

    /** A non-expected status carries the server's {"message":...} (httptypes.HTTPError). */
    private static void expect(V2Transport.Reply r, int status) throws IOException {
        if (r.status() == status) {
            return;
        }
        String msg;
        try {
            msg = str(((Map<?, ?>) Json.parse(r.body())).get("message"));
        } catch (RuntimeException e) {
            msg = "unexpected status code " + r.status();
        }
        throw new IOException(msg);
    }

    private static String str(Object o) {
        return o instanceof String s ? s : "";
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object x : l) {
                out.add(String.valueOf(x));
            }
        }
        return out;
    }
}
