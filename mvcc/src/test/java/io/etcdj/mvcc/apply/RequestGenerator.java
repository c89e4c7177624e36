package io.etcdj.mvcc.apply;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import com.google.protobuf.ByteString;

import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;

/** Seeded random etcd KV requests over a small key space, so that keys collide and histories grow deep. */
final class RequestGenerator {
    private static final String[] KEYS = {"a", "ab", "abc", "b", "b\u0000", "ba", "c", "d\u00ff", "e"};
    private static final String[] VALUES = {"", "x", "y", "xy", "z", "\u00ff"};
    private final Random random;
    private long revHint = 1;

    RequestGenerator(Random random) {
        this.random = random;
    }

    void setRevisionHint(long rev) {
        this.revHint = rev;
    }

    private ByteString key() {
        return bytes(KEYS[random.nextInt(KEYS.length)]);
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFrom(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A range end for {@code key}: none, a random key, a prefix end, or "\0". */
    private ByteString rangeEnd(ByteString key) {
        return switch (random.nextInt(6)) {
            case 0, 1 -> ByteString.EMPTY;
            case 2 -> key();
            case 3 -> ByteString.copyFrom(new byte[] {0});
            default -> prefixEnd(key);
        };
    }

    private static ByteString prefixEnd(ByteString key) {
        byte[] b = key.toByteArray();
        for (int i = b.length - 1; i >= 0; i--) {
            if ((b[i] & 0xff) != 0xff) {
                b[i]++;
                return ByteString.copyFrom(b, 0, i + 1);
            }
        }
        return ByteString.copyFrom(new byte[] {0});
    }

    private long revision() {
        return random.nextInt(4) == 0 ? 0 : random.nextLong(-1, revHint + 3);
    }

    RangeRequest range() {
        ByteString key = random.nextInt(10) == 0 ? ByteString.copyFrom(new byte[] {0}) : key();
        RangeRequest.Builder b = RangeRequest.newBuilder().setKey(key).setRangeEnd(rangeEnd(key));
        if (random.nextInt(3) == 0) {
            b.setRevision(revision());
        }
        if (random.nextInt(3) == 0) {
            b.setLimit(random.nextInt(4));
        }
        if (random.nextInt(3) == 0) {
            b.setSortOrderValue(random.nextInt(3));
            b.setSortTargetValue(random.nextInt(5));
        }
        if (random.nextInt(8) == 0) {
            b.setKeysOnly(true);
        }
        if (random.nextInt(10) == 0) {
            b.setCountOnly(true);
        }
        if (random.nextInt(6) == 0) {
            switch (random.nextInt(4)) {
                case 0 -> b.setMinModRevision(random.nextLong(revHint + 2));
                case 1 -> b.setMaxModRevision(random.nextLong(revHint + 2));
                case 2 -> b.setMinCreateRevision(random.nextLong(revHint + 2));
                default -> b.setMaxCreateRevision(random.nextLong(revHint + 2));
            }
        }
        return b.build();
    }

    PutRequest put() {
        PutRequest.Builder b = PutRequest.newBuilder().setKey(key());
        b.setValue(bytes(VALUES[random.nextInt(VALUES.length)]));
        b.setLease(random.nextInt(3) == 0 ? random.nextInt(4) : 0);
        b.setPrevKv(random.nextBoolean());
        if (random.nextInt(8) == 0) {
            b.setIgnoreValue(true);
            if (random.nextInt(4) != 0) {
                b.clearValue();
            }
        }
        if (random.nextInt(8) == 0) {
            b.setIgnoreLease(true);
            if (random.nextInt(4) != 0) {
                b.clearLease();
            }
        }
        return b.build();
    }

    DeleteRangeRequest delete() {
        ByteString key = key();
        return DeleteRangeRequest.newBuilder().setKey(key).setRangeEnd(rangeEnd(key))
                .setPrevKv(random.nextBoolean()).build();
    }

    TxnRequest txn(int depth) {
        TxnRequest.Builder b = TxnRequest.newBuilder();
        int compares = random.nextInt(3);
        for (int i = 0; i < compares; i++) {
            b.addCompare(compare());
        }
        int success = random.nextInt(4);
        for (int i = 0; i < success; i++) {
            b.addSuccess(op(depth));
        }
        int failure = random.nextInt(3);
        for (int i = 0; i < failure; i++) {
            b.addFailure(op(depth));
        }
        return b.build();
    }

    private RequestOp op(int depth) {
        int kind = random.nextInt(depth < 2 ? 7 : 6);
        return switch (kind) {
            case 0, 1 -> RequestOp.newBuilder().setRequestRange(range()).build();
            case 2, 3 -> RequestOp.newBuilder().setRequestPut(put()).build();
            case 4, 5 -> RequestOp.newBuilder().setRequestDeleteRange(delete()).build();
            default -> RequestOp.newBuilder().setRequestTxn(txn(depth + 1)).build();
        };
    }

    private Compare compare() {
        ByteString key = key();
        Compare.Builder b = Compare.newBuilder().setKey(key).setResultValue(random.nextInt(4));
        if (random.nextInt(4) == 0) {
            b.setRangeEnd(rangeEnd(key));
        }
        switch (random.nextInt(5)) {
            case 0 -> b.setTarget(Compare.CompareTarget.VERSION).setVersion(random.nextInt(4));
            case 1 -> b.setTarget(Compare.CompareTarget.CREATE).setCreateRevision(random.nextLong(revHint + 2));
            case 2 -> b.setTarget(Compare.CompareTarget.MOD).setModRevision(random.nextLong(revHint + 2));
            case 3 -> b.setTarget(Compare.CompareTarget.VALUE).setValue(bytes(VALUES[random.nextInt(VALUES.length)]));
            default -> b.setTarget(Compare.CompareTarget.LEASE).setLease(random.nextInt(4));
        }
        return b.build();
    }
}
