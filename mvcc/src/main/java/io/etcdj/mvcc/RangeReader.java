package io.etcdj.mvcc;

import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.InvalidProtocolBufferException;

import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.mvcc.index.IndexRange;
import io.etcdj.mvcc.index.KeyRevision;
import io.etcdj.mvcc.index.RevisionIndex;

/** The store-level range shared by read and write transactions (etcd's {@code rangeKeys}). */
final class RangeReader {
    private RangeReader() {
    }

    /**
     * @param curRev the view's current revision
     * @param compactRev the store's compaction revision; reading below it fails
     */
    static RangeResult range(RevisionIndex index, ValueSource values, long curRev, long compactRev,
            KeyRange range, RangeOptions options) {
        long rev = options.rev();
        if (rev > curRev) {
            throw MvccException.futureRevision();
        }
        if (rev <= 0) {
            rev = curRev;
        }
        if (rev < compactRev) {
            throw MvccException.compacted();
        }
        if (options.countOnly()) {
            return new RangeResult(List.of(), index.count(range, rev), curRev);
        }
        int limit = options.limit() > Integer.MAX_VALUE ? 0 : (int) options.limit();
        IndexRange found = index.range(range, rev, limit);
        if (found.total() == 0) {
            return new RangeResult(List.of(), 0, curRev);
        }
        List<Revision> revs = new ArrayList<>(found.keys().size());
        for (KeyRevision kr : found.keys()) {
            revs.add(kr.modified());
        }
        List<byte[]> raw = values.values(revs);
        List<KeyValue> kvs = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            kvs.add(decode(raw.get(i), revs.get(i)));
        }
        return new RangeResult(kvs, found.total(), curRev);
    }

    static KeyValue decode(byte[] bytes, Revision rev) {
        if (bytes == null) {
            throw new IllegalStateException("revision " + rev + " is indexed but not stored");
        }
        try {
            return KeyValue.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt value at revision " + rev, e);
        }
    }
}
