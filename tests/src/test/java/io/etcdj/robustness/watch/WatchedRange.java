package io.etcdj.robustness.watch;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;

/**
 * The keys a watch asks for, as etcd reads a WatchCreateRequest: one key when {@code rangeEnd} is
 * empty, every key from {@code key} (inclusive) to {@code rangeEnd} (exclusive) otherwise, and
 * every key at all for {@code key = rangeEnd = "\0"}. Keys compare as unsigned bytes.
 */
public record WatchedRange(String name, ByteString key, ByteString rangeEnd) {

    private static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});

    public static WatchedRange allKeys() {
        return new WatchedRange("all keys", ZERO, ZERO);
    }

    public static WatchedRange single(String key) {
        return new WatchedRange(key, ByteString.copyFromUtf8(key), ByteString.EMPTY);
    }

    /** Every key starting with {@code prefix} (etcdctl's --prefix: the last byte plus one ends the range). */
    public static WatchedRange prefix(String prefix) {
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
        end[end.length - 1]++;
        return new WatchedRange(prefix + "*", ByteString.copyFromUtf8(prefix), ByteString.copyFrom(end));
    }

    /** Keys in [from, to). */
    public static WatchedRange between(String from, String to) {
        return new WatchedRange("[" + from + ", " + to + ")", ByteString.copyFromUtf8(from), ByteString.copyFromUtf8(to));
    }

    public boolean contains(ByteString k) {
        if (rangeEnd.isEmpty()) {
            return k.equals(key);
        }
        if (rangeEnd.equals(ZERO)) {
            return compare(k, key) >= 0;
        }
        return compare(k, key) >= 0 && compare(k, rangeEnd) < 0;
    }

    private static int compare(ByteString a, ByteString b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int d = Byte.toUnsignedInt(a.byteAt(i)) - Byte.toUnsignedInt(b.byteAt(i));
            if (d != 0) {
                return d;
            }
        }
        return a.size() - b.size();
    }

    @Override
    public String toString() {
        return name;
    }
}
