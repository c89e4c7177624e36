package io.etcdj.server.v2.replicated;

import io.etcdj.server.v2.store.V2Request;

/** Converts v2 requests to and from their raft-log form (etcd's etcdserverpb.Request fields). */
public final class V2Requests {
    private V2Requests() {}

    static io.etcdj.server.pb.V2Request toProto(V2Request r) {
        io.etcdj.server.pb.V2Request.Builder b = io.etcdj.server.pb.V2Request.newBuilder()
                .setId(r.id()).setMethod(r.method()).setPath(r.path()).setVal(r.val()).setDir(r.dir())
                .setPrevValue(r.prevValue()).setPrevIndex(r.prevIndex()).setExpiration(r.expiration())
                .setWait(r.waitFlag()).setSince(r.since()).setRecursive(r.recursive()).setSorted(r.sorted())
                .setQuorum(r.quorum()).setTime(r.time()).setStream(r.stream());
        if (r.prevExist() != null) {
            b.setPrevExist(r.prevExist());
        }
        if (r.refresh() != null) {
            b.setRefresh(r.refresh());
        }
        return b.build();
    }

    public static V2Request fromProto(io.etcdj.server.pb.V2Request p) {
        return new V2Request(p.getId(), p.getMethod(), p.getPath(), p.getVal(), p.getDir(), p.getPrevValue(),
                p.getPrevIndex(), p.hasPrevExist() ? p.getPrevExist() : null, p.getExpiration(), p.getWait(),
                p.getSince(), p.getRecursive(), p.getSorted(), p.getQuorum(), p.getTime(), p.getStream(),
                p.hasRefresh() ? p.getRefresh() : null);
    }
}
