package io.etcdj.raftsim;

import com.google.protobuf.ByteString;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.TreeSet;

/**
 * The bytes the simulation puts into raft: client writes, liveness markers, ReadIndex request
 * contexts and snapshot contents, with their decoders.
 */
final class Payloads {
    static final byte WRITE = 'W';
    static final byte MARKER = 'M';

    private Payloads() {}

    static ByteString write(long writeId) {
        return tagged(WRITE, writeId);
    }

    static ByteString marker(long round) {
        return tagged(MARKER, round);
    }

    /** True if {@code data} is the liveness marker of {@code round}. */
    static boolean isMarker(ByteString data, long round) {
        return data.size() == 9 && data.byteAt(0) == MARKER && ByteBuffer.wrap(data.toByteArray(), 1, 8).getLong() == round;
    }

    static ByteString readContext(long readId) {
        return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(readId).array());
    }

    /** The read id in a ReadState's request context, or -1 if it is not one of ours. */
    static long readId(ByteString context) {
        return context.size() == 8 ? context.asReadOnlyByteBuffer().getLong() : -1;
    }

    /** A 64-bit fingerprint of an entry's type and payload (index and term are hashed separately). */
    static long digest(Entry entry) {
        long h = entry.getType() == EntryType.EntryConfChange ? 0x5bd1e995L : 0x27d4eb2fL;
        ByteString data = entry.getData();
        for (int i = 0; i < data.size(); i++) {
            h = (h ^ (data.byteAt(i) & 0xff)) * 0x100000001b3L;
        }
        return h ^ data.size();
    }

    private static ByteString tagged(byte tag, long value) {
        return ByteString.copyFrom(ByteBuffer.allocate(9).put(tag).putLong(value).array());
    }

    /**
     * The application state a snapshot carries: applied index, running hash of everything applied,
     * and the ids this node knows were removed from the group (its transport refuses them).
     */
    record AppSnapshot(long index, long chain, Set<Long> removed) {
        static final AppSnapshot EMPTY = new AppSnapshot(0, 0, Set.of());

        ByteString encode() {
            ByteBuffer b = ByteBuffer.allocate(20 + 8 * removed.size());
            b.putLong(index).putLong(chain).putInt(removed.size());
            for (long id : removed) {
                b.putLong(id);
            }
            return ByteString.copyFrom(b.array());
        }

        static AppSnapshot decode(ByteString data) {
            if (data.isEmpty()) {
                return EMPTY;
            }
            ByteBuffer b = data.asReadOnlyByteBuffer();
            long index = b.getLong();
            long chain = b.getLong();
            int n = b.getInt();
            Set<Long> removed = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                removed.add(b.getLong());
            }
            return new AppSnapshot(index, chain, removed);
        }
    }
}
