package io.etcdj.server.proxy.grpcproxy.leasing;

import com.google.protobuf.ByteString;

/**
 * Where the leasing protocol keeps its records: the ownership key of a key {@code k} is the
 * leasing prefix followed by {@code k} (prefix "/lease/", key "foo": "/lease/foo"), in the
 * client's key space (a namespaced proxy stores it under its namespace, as etcd's does). Its
 * value is empty while a proxy owns the key, and {@link #REVOKE} once another proxy asked the
 * owner to give it up; it is attached to the owner's session lease.
 */
final class OwnershipKeys {
    /** The value another leasing client writes into an ownership key to ask its owner to let go. */
    static final ByteString REVOKE = ByteString.copyFromUtf8("REVOKE");

    private static final ByteString ALL_FROM_HERE = ByteString.copyFrom(new byte[] {0});

    private final ByteString prefix;

    /** @param prefix the leasing prefix, not empty */
    OwnershipKeys(String prefix) {
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("the leasing prefix must not be empty");
        }
        this.prefix = ByteString.copyFromUtf8(prefix);
    }

    ByteString of(ByteString key) {
        return prefix.concat(key);
    }

    /** The ownership range end for a key range end: empty stays empty, "\0" ends with the prefix's space. */
    ByteString end(ByteString rangeEnd) {
        if (rangeEnd.isEmpty()) {
            return rangeEnd;
        }
        return rangeEnd.equals(ALL_FROM_HERE) ? prefixEnd() : prefix.concat(rangeEnd);
    }

    /** The first key after every ownership key (the end of the range the proxy watches). */
    ByteString prefixEnd() {
        byte[] b = prefix.toByteArray();
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] != (byte) 0xff) {
                b[i]++;
                return ByteString.copyFrom(b, 0, i + 1);
            }
        }
        return ALL_FROM_HERE;
    }

    ByteString all() {
        return prefix;
    }

    /** The key an ownership key stands for. */
    ByteString keyOf(ByteString ownershipKey) {
        return ownershipKey.substring(prefix.size());
    }

    /** Whether {@code key} lies in [begin, end) as a request names a range ("\0": to the end, empty: just begin). */
    static boolean inRange(ByteString key, ByteString begin, ByteString end) {
        if (end.isEmpty()) {
            return key.equals(begin);
        }
        if (ByteString.unsignedLexicographicalComparator().compare(key, begin) < 0) {
            return false;
        }
        return end.equals(ALL_FROM_HERE) || ByteString.unsignedLexicographicalComparator().compare(key, end) < 0;
    }
}
