package io.etcdj.mvcc.lease;

import java.io.IOException;
import java.nio.ByteBuffer;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

/**
 * A lease as stored in the {@code lease} bucket, in etcd's format: the key is the lease id as 8 bytes
 * big-endian, the value a {@code leasepb.Lease} message ({@code ID = 1}, {@code TTL = 2},
 * {@code RemainingTTL = 3}, all int64 varints). Attached keys are not stored: they are derived from the
 * {@code lease} field of the live keys.
 *
 * @param remainingTtl the last checkpointed remaining TTL in seconds (0: none, count from the TTL)
 */
public record StoredLease(long id, long ttl, long remainingTtl) {

    public static byte[] key(long id) {
        return ByteBuffer.allocate(8).putLong(id).array();
    }

    public byte[] key() {
        return key(id);
    }

    public byte[] toBytes() {
        int size = 0;
        if (id != 0) {
            size += CodedOutputStream.computeInt64Size(1, id);
        }
        if (ttl != 0) {
            size += CodedOutputStream.computeInt64Size(2, ttl);
        }
        if (remainingTtl != 0) {
            size += CodedOutputStream.computeInt64Size(3, remainingTtl);
        }
        byte[] out = new byte[size];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            if (id != 0) {
                o.writeInt64(1, id);
            }
            if (ttl != 0) {
                o.writeInt64(2, ttl);
            }
            if (remainingTtl != 0) {
                o.writeInt64(3, remainingTtl);
            }
            o.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    public static StoredLease fromBytes(byte[] bytes) {
        long id = 0;
        long ttl = 0;
        long remaining = 0;
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_VARINT) {
                    in.skipField(tag);
                    continue;
                }
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> id = in.readInt64();
                    case 2 -> ttl = in.readInt64();
                    case 3 -> remaining = in.readInt64();
                    default -> in.skipField(tag);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt lease record", e);
        }
        return new StoredLease(id, ttl, remaining);
    }
}
