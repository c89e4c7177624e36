package io.etcdj.server.proxy.grpcproxy;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.ResponseOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;

/**
 * {@code --namespace}: every key a client names is stored under the prefix, and every key it is
 * shown has the prefix removed, so clients of a namespaced proxy live in their own key space.
 *
 * <p>Ranges keep their meaning inside the prefix: a range end of "\0" ("every key from here on")
 * becomes the end of the prefix's own space, so a client can never read or delete outside it.
 * With an empty prefix every method is the identity.
 */
final class KeyNamespace {
    private final ByteString prefix;

    KeyNamespace(String prefix) {
        this.prefix = ByteString.copyFromUtf8(prefix);
    }

    boolean isEmpty() {
        return prefix.isEmpty();
    }

    ByteString key(ByteString key) {
        return prefix.concat(key);
    }

    /** The range end for a request's (key, end); empty stays empty (a single key). */
    ByteString end(ByteString end) {
        if (end.isEmpty()) {
            return end;
        }
        if (end.size() == 1 && end.byteAt(0) == 0) {
            return prefixEnd();
        }
        return prefix.concat(end);
    }

    /** The smallest key greater than every key starting with the prefix ("\0" if there is none). */
    private ByteString prefixEnd() {
        byte[] b = prefix.toByteArray();
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] != (byte) 0xff) {
                b[i]++;
                return ByteString.copyFrom(b, 0, i + 1);
            }
        }
        return ByteString.copyFrom(new byte[] {0});
    }

    /** {@code key} with the prefix removed (a key outside the prefix is left as it is). */
    ByteString strip(ByteString key) {
        return key.startsWith(prefix) ? key.substring(prefix.size()) : key;
    }

    KeyValue strip(KeyValue kv) {
        return isEmpty() ? kv : kv.toBuilder().setKey(strip(kv.getKey())).build();
    }

    Event strip(Event e) {
        if (isEmpty()) {
            return e;
        }
        Event.Builder b = e.toBuilder().setKv(strip(e.getKv()));
        if (e.hasPrevKv()) {
            b.setPrevKv(strip(e.getPrevKv()));
        }
        return b.build();
    }

    RangeRequest range(RangeRequest r) {
        return isEmpty() ? r : r.toBuilder().setKey(key(r.getKey())).setRangeEnd(end(r.getRangeEnd())).build();
    }

    RangeResponse range(RangeResponse r) {
        if (isEmpty()) {
            return r;
        }
        RangeResponse.Builder b = r.toBuilder().clearKvs();
        r.getKvsList().forEach(kv -> b.addKvs(strip(kv)));
        return b.build();
    }

    PutRequest put(PutRequest r) {
        return isEmpty() ? r : r.toBuilder().setKey(key(r.getKey())).build();
    }

    PutResponse put(PutResponse r) {
        return isEmpty() || !r.hasPrevKv() ? r : r.toBuilder().setPrevKv(strip(r.getPrevKv())).build();
    }

    DeleteRangeRequest delete(DeleteRangeRequest r) {
        return isEmpty() ? r : r.toBuilder().setKey(key(r.getKey())).setRangeEnd(end(r.getRangeEnd())).build();
    }

    DeleteRangeResponse delete(DeleteRangeResponse r) {
        if (isEmpty()) {
            return r;
        }
        DeleteRangeResponse.Builder b = r.toBuilder().clearPrevKvs();
        r.getPrevKvsList().forEach(kv -> b.addPrevKvs(strip(kv)));
        return b.build();
    }

    TxnRequest txn(TxnRequest r) {
        if (isEmpty()) {
            return r;
        }
        TxnRequest.Builder b = r.toBuilder().clearCompare().clearSuccess().clearFailure();
        for (Compare c : r.getCompareList()) {
            b.addCompare(c.toBuilder().setKey(key(c.getKey())).setRangeEnd(end(c.getRangeEnd())));
        }
        r.getSuccessList().forEach(op -> b.addSuccess(op(op)));
        r.getFailureList().forEach(op -> b.addFailure(op(op)));
        return b.build();
    }

    private RequestOp op(RequestOp op) {
        return switch (op.getRequestCase()) {
            case REQUEST_RANGE -> op.toBuilder().setRequestRange(range(op.getRequestRange())).build();
            case REQUEST_PUT -> op.toBuilder().setRequestPut(put(op.getRequestPut())).build();
            case REQUEST_DELETE_RANGE -> op.toBuilder().setRequestDeleteRange(delete(op.getRequestDeleteRange())).build();
            case REQUEST_TXN -> op.toBuilder().setRequestTxn(txn(op.getRequestTxn())).build();
            default -> op;
        };
    }

    TxnResponse txn(TxnResponse r) {
        if (isEmpty()) {
            return r;
        }
        TxnResponse.Builder b = r.toBuilder().clearResponses();
        for (ResponseOp op : r.getResponsesList()) {
            b.addResponses(switch (op.getResponseCase()) {
                case RESPONSE_RANGE -> op.toBuilder().setResponseRange(range(op.getResponseRange())).build();
                case RESPONSE_PUT -> op.toBuilder().setResponsePut(put(op.getResponsePut())).build();
                case RESPONSE_DELETE_RANGE -> op.toBuilder().setResponseDeleteRange(delete(op.getResponseDeleteRange())).build();
                case RESPONSE_TXN -> op.toBuilder().setResponseTxn(txn(op.getResponseTxn())).build();
                default -> op;
            });
        }
        return b.build();
    }
}
