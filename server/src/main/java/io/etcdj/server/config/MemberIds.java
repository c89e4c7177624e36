package io.etcdj.server.config;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * How etcd derives member and cluster IDs, bit for bit:
 * <ul>
 *   <li>member ID = first 8 bytes (big-endian) of SHA-1 over the member's peer URL strings,
 *       sorted and concatenated without separator, followed by the cluster token (and, for a
 *       member added at run time, the decimal Unix time in seconds);</li>
 *   <li>cluster ID = first 8 bytes of SHA-1 over the member IDs, sorted as unsigned 64-bit
 *       numbers and each written as 8 big-endian bytes.</li>
 * </ul>
 * IDs are unsigned 64-bit numbers held in a {@code long}; etcd prints them in lower-case hex
 * without padding.
 */
public final class MemberIds {
    private MemberIds() {}

    /** The ID of a member bootstrapped with these peer URLs and cluster token. */
    public static long memberId(Collection<String> peerUrls, String token) {
        return memberId(peerUrls, token, null);
    }

    /** The ID of a member added at {@code now} (etcd's member add), or bootstrapped when null. */
    public static long memberId(Collection<String> peerUrls, String token, Instant now) {
        List<String> sorted = new ArrayList<>(peerUrls);
        sorted.sort(null);
        StringBuilder b = new StringBuilder();
        for (String u : sorted) {
            b.append(u);
        }
        b.append(token);
        if (now != null) {
            b.append(now.getEpochSecond());
        }
        return first8(sha1(b.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** The ID of a cluster with these member IDs. */
    public static long clusterId(Collection<Long> memberIds) {
        List<Long> sorted = new ArrayList<>(memberIds);
        sorted.sort(Long::compareUnsigned);
        ByteBuffer buf = ByteBuffer.allocate(8 * sorted.size());
        for (long id : sorted) {
            buf.putLong(id);
        }
        return first8(sha1(buf.array()));
    }

    /** etcd's {@code types.ID.String()}: lower-case hex, no padding. */
    public static String hex(long id) {
        return Long.toHexString(id);
    }

    /** Parses etcd's hex form of an ID. */
    public static long parseHex(String hex) {
        return Long.parseUnsignedLong(hex, 16);
    }

    private static long first8(byte[] digest) {
        return ByteBuffer.wrap(digest, 0, 8).getLong();
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java runtime", e);
        }
    }
}
