package io.etcdj.server.v2.store;

/**
 * A v2 request as it is replicated through raft; the fields mirror etcd's
 * {@code etcdserverpb.Request} (field numbers in brackets) so the server can carry it in
 * {@code InternalRaftRequest.v2} unchanged.
 *
 * <p>{@code method} is "PUT", "POST", "DELETE", "QGET" (quorum read) or "SYNC" (expire keys up to
 * {@code time}). {@code expiration} is the absolute expire time in unix nanoseconds (0: none),
 * computed once by the proposer from the TTL. {@code prevExist} and {@code refresh} are nullable
 * as in the proto. {@code time} is the proposer's clock (unix nanoseconds): the cut-off of SYNC,
 * and for writes the moment against which the "ttl" of the answer is shown.
 */
public record V2Request(long id /*1*/, String method /*2*/, String path /*3*/, String val /*4*/,
                        boolean dir /*5*/, String prevValue /*6*/, long prevIndex /*7*/,
                        Boolean prevExist /*8*/, long expiration /*9*/, boolean waitFlag /*10*/,
                        long since /*11*/, boolean recursive /*12*/, boolean sorted /*13*/,
                        boolean quorum /*14*/, long time /*15*/, boolean stream /*16*/,
                        Boolean refresh /*17*/) {

    public V2Request {
        val = val == null ? "" : val;
        prevValue = prevValue == null ? "" : prevValue;
    }

    /** The replicated "expire every node whose time is at or before {@code cutoffNanos}" operation. */
    public static V2Request sync(long id, long cutoffNanos) {
        return new V2Request(id, "SYNC", "", "", false, "", 0, null, 0, false, 0, false, false, false,
                cutoffNanos, false, null);
    }

    public boolean isRefresh() { return refresh != null && refresh; }
}
