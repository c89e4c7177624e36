package io.etcdj.server.etcdimport;

import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.server.pb.V2Request;
import io.etcdj.server.v2.http.MiniJson;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Measures what of etcd's v2 store an import leaves behind: the keys under "/1" (where the v2 API's keys
 * live; "/0" is etcd's membership) of the store as etcd's snapshot holds it, JSON of nodes
 * {@code {"Path":...,"Value":...,"Children":{name: node}}} whose Children is null for a key; and the
 * v2 writes (raw etcdserverpb.Request entries changing "/1") of the log.
 */
final class EtcdV2Keys {
    private static final Set<String> WRITES = Set.of("PUT", "POST", "DELETE");

    private EtcdV2Keys() {}

    static long countKeys(String storeJson) {
        try {
            if (new MiniJson(storeJson).parseDocument() instanceof Map<?, ?> store
                    && store.get("Root") instanceof Map<?, ?> root
                    && root.get("Children") instanceof Map<?, ?> namespaces) {
                return keysUnder(namespaces.get("1"));
            }
        } catch (MiniJson.SyntaxError e) {
            return 0;
        }
        return 0;
    }

    private static long keysUnder(Object node) {
        if (!(node instanceof Map<?, ?> n)) {
            return 0;
        }
        if (!(n.get("Children") instanceof Map<?, ?> children)) {
            return 1;
        }
        long count = 0;
        for (Object child : children.values()) {
            count += keysUnder(child);
        }
        return count;
    }

    static boolean isKeyWrite(Entry e) throws IOException {
        if (e.getType() != EntryType.EntryNormal || e.getData().isEmpty() || !EtcdEntryConverter.isV2Request(e.getData())) {
            return false;
        }
        V2Request r = V2Request.parseFrom(e.getData());
        return WRITES.contains(r.getMethod()) && r.getPath().startsWith("/1/");
    }
}
