package io.etcdj.server.v2.replicated;

import com.google.protobuf.ByteString;
import io.etcdj.server.v2.store.GoStrings;
import io.etcdj.server.v2.store.V2Request;
import java.util.function.Consumer;

/**
 * Converts v2 requests to and from their raft-log form (etcd's etcdserverpb.Request fields); a
 * path or value that is not UTF-8 goes in as the bytes the client sent.
 */
public final class V2Requests {
    private V2Requests() {}

    static io.etcdj.server.pb.V2Request toProto(V2Request r) {
        io.etcdj.server.pb.V2Request.Builder b = io.etcdj.server.pb.V2Request.newBuilder()
                .setId(r.id()).setMethod(r.method()).setDir(r.dir()).setPrevIndex(r.prevIndex())
                .setExpiration(r.expiration())
                .setWait(r.waitFlag()).setSince(r.since()).setRecursive(r.recursive()).setSorted(r.sorted())
                .setQuorum(r.quorum()).setTime(r.time()).setStream(r.stream());
        text(r.path(), b::setPath, b::setRawPath);
        text(r.val(), b::setVal, b::setRawVal);
        text(r.prevValue(), b::setPrevValue, b::setRawPrevValue);
        if (r.prevExist() != null) {
            b.setPrevExist(r.prevExist());
        }
        if (r.refresh() != null) {
            b.setRefresh(r.refresh());
        }
        return b.build();
    }

    public static V2Request fromProto(io.etcdj.server.pb.V2Request p) {
        return new V2Request(p.getId(), p.getMethod(), either(p.getPath(), p.getRawPath()),
                either(p.getVal(), p.getRawVal()), p.getDir(), either(p.getPrevValue(), p.getRawPrevValue()),
                p.getPrevIndex(), p.hasPrevExist() ? p.getPrevExist() : null, p.getExpiration(), p.getWait(),
                p.getSince(), p.getRecursive(), p.getSorted(), p.getQuorum(), p.getTime(), p.getStream(),
                p.hasRefresh() ? p.getRefresh() : null);
    }

    /** A key or value in its string field, or (not UTF-8, see {@link GoStrings}) as its bytes in the raw one. */
    private static void text(String s, Consumer<String> utf8, Consumer<ByteString> raw) {
        if (GoStrings.isUtf8(s)) {
            utf8.accept(s);
        } else {
            raw.accept(ByteString.copyFrom(GoStrings.toBytes(s)));
        }
    }

    private static String either(String utf8, ByteString raw) {
        return raw.isEmpty() ? utf8 : GoStrings.fromBytes(raw.toByteArray());
    }
}
