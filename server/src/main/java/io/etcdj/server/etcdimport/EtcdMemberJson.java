package io.etcdj.server.etcdimport;

import io.etcdj.server.pb.MemberRecord;
import io.etcdj.server.v2.http.MiniJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * etcd's JSON for a member, as its members bucket and its conf changes' context hold it:
 * {@code {"id":<uint64>,"peerURLs":[...],"isLearner":true,"name":"...","clientURLs":[...]}} (the last three
 * left out when empty). The ID is taken from where etcd keys the record (the bucket key, the conf
 * change's NodeID): a JSON number does not keep 64 bits.
 */
final class EtcdMemberJson {
    private EtcdMemberJson() {}

    static MemberRecord parse(long id, byte[] json) throws IOException {
        Object doc;
        try {
            doc = new MiniJson(new String(json, StandardCharsets.UTF_8)).parseDocument();
        } catch (MiniJson.SyntaxError e) {
            throw new IOException("member " + Long.toHexString(id) + ": not etcd's member JSON: " + e.getMessage(), e);
        }
        if (!(doc instanceof Map<?, ?> m)) {
            throw new IOException("member " + Long.toHexString(id) + ": not a JSON object");
        }
        return MemberRecord.newBuilder().setId(id)
                .setName(m.get("name") instanceof String s ? s : "")
                .addAllPeerUrls(strings(m.get("peerURLs")))
                .addAllClientUrls(strings(m.get("clientURLs")))
                .setIsLearner(Boolean.TRUE.equals(m.get("isLearner")))
                .build();
    }

    /** The name and client URLs of etcd's attributes JSON, {@code {"name":...,"clientURLs":[...]}}. */
    static MemberRecord attributes(long id, String json) throws IOException {
        return parse(id, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON array's elements as strings; nothing for anything else (etcd leaves empty lists out). */
    private static List<String> strings(Object o) {
        return o instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }
}
