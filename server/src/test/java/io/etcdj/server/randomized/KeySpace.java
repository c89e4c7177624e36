package io.etcdj.server.randomized;

import com.google.protobuf.ByteString;
import io.etcdj.mvcc.KeyRange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * The few keys and values the random requests use, chosen so that ranges, prefixes and compares
 * collide often: shared prefixes ("a", "a/", "a/b", ...), the smallest and largest bytes ("\x00",
 * "\xff", "\xff\xff"), a key with a zero byte inside. Values include the empty one and, rarely, one
 * large enough to make a request exceed the members' small --max-request-bytes.
 */
final class KeySpace {
    /** Both members run with this --max-request-bytes, so a large value or a long watch replay crosses it. */
    static final int MAX_REQUEST_BYTES = 4096;

    private static final List<ByteString> KEYS = List.of(bytes("a"), bytes("a/"), bytes("a/b"), bytes("a/b/c"),
            bytes("a/c"), bytes("ab"), bytes("b"), bytes("b\u0000x"), ByteString.copyFrom(new byte[] {0}),
            ByteString.copyFrom(new byte[] {(byte) 0xff}), ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff}),
            bytes("c"));
    private static final List<ByteString> VALUES = List.of(ByteString.EMPTY, bytes("v"), bytes("v1"), bytes("v2"),
            bytes("value"), ByteString.copyFrom(new byte[] {0, (byte) 0xff}));
    /** etcd's "from this key on" range end. */
    static final ByteString FROM_KEY = ByteString.copyFrom(new byte[] {0});

    private final Random random;

    KeySpace(Random random) {
        this.random = random;
    }

    static ByteString bytes(String s) {
        return ByteString.copyFrom(s, StandardCharsets.ISO_8859_1);
    }

    ByteString key() {
        // rarely the empty key, which etcd refuses ("key is not provided")
        return random.nextInt(200) == 0 ? ByteString.EMPTY : KEYS.get(random.nextInt(KEYS.size()));
    }

    ByteString value() {
        int pick = random.nextInt(100);
        if (pick == 0) {
            return ByteString.copyFrom(new byte[MAX_REQUEST_BYTES + random.nextInt(64)]); // too large a request
        }
        if (pick < 4) {
            byte[] mid = new byte[200 + random.nextInt(1200)]; // big enough to fragment a watch replay
            random.nextBytes(mid);
            return ByteString.copyFrom(mid);
        }
        return VALUES.get(random.nextInt(VALUES.size()));
    }

    /**
     * A range end for {@code key}: none (the key alone), its prefix end, from-key, another key of
     * the space (possibly below {@code key}: an empty or refused range).
     */
    ByteString rangeEnd(ByteString key) {
        return switch (random.nextInt(5)) {
            case 0, 1 -> ByteString.EMPTY;
            case 2 -> prefixEnd(key);
            case 3 -> FROM_KEY;
            default -> KEYS.get(random.nextInt(KEYS.size()));
        };
    }

    /** The smallest key above every key starting with {@code key} (from-key when there is none, as clientv3's WithPrefix). */
    static ByteString prefixEnd(ByteString key) {
        KeyRange prefix = KeyRange.prefix(key.toByteArray());
        return prefix.isUnbounded() ? FROM_KEY : ByteString.copyFrom(prefix.end());
    }

    /** Whether {@code key} is in the range etcd means by {@code start} and {@code end} (a watch's). */
    static boolean inRange(ByteString key, ByteString start, ByteString end) {
        return KeyRange.of(start.toByteArray(), end.toByteArray()).contains(key.toByteArray());
    }
}
