package io.etcdj.server.corruption;

import io.etcdj.api.etcdserverpb.HashKVResponse;
import java.util.List;

/**
 * One peer's answer to a HashKV query at a revision: exactly one of {@code response} and
 * {@code error} is set.
 *
 * @param memberId the peer asked
 * @param endpoints the peer's URLs, for the log
 * @param error etcd's error text (e.g. "etcdserver: mvcc: required revision is a future revision"),
 *     or why the peer could not be asked
 */
public record PeerHash(long memberId, List<String> endpoints, HashKVResponse response, String error) {
    public static PeerHash answered(long memberId, List<String> endpoints, HashKVResponse response) {
        return new PeerHash(memberId, endpoints, response, null);
    }

    public static PeerHash failed(long memberId, List<String> endpoints, String error) {
        return new PeerHash(memberId, endpoints, null, error);
    }
}
