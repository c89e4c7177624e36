package io.etcdj.server.auth;

import com.google.protobuf.ByteString;
import io.etcdj.api.authpb.Permission.Type;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;

/**
 * Which key permissions a KV request needs, as etcd checks them: a range needs READ on its keys;
 * a put or delete needs WRITE, and READ as well when it returns the previous key-values; a txn
 * needs READ on every compared key or range and what each op of both branches needs (nested txns
 * included), whichever branch would run. Each check fails with etcd's auth error.
 */
public final class RequestPermissions {
    private RequestPermissions() {}

    public static void checkRange(AuthState s, Caller c, RangeRequest r) {
        s.checkKey(c, Type.READ, r.getKey(), r.getRangeEnd());
    }

    public static void checkPut(AuthState s, Caller c, PutRequest r) {
        s.checkKey(c, Type.WRITE, r.getKey(), ByteString.EMPTY);
        if (r.getPrevKv()) {
            s.checkKey(c, Type.READ, r.getKey(), ByteString.EMPTY);
        }
    }

    public static void checkDeleteRange(AuthState s, Caller c, DeleteRangeRequest r) {
        s.checkKey(c, Type.WRITE, r.getKey(), r.getRangeEnd());
        if (r.getPrevKv()) {
            s.checkKey(c, Type.READ, r.getKey(), r.getRangeEnd());
        }
    }

    public static void checkTxn(AuthState s, Caller c, TxnRequest r) {
        for (Compare cmp : r.getCompareList()) {
            s.checkKey(c, Type.READ, cmp.getKey(), cmp.getRangeEnd());
        }
        for (RequestOp op : r.getSuccessList()) {
            checkOp(s, c, op);
        }
        for (RequestOp op : r.getFailureList()) {
            checkOp(s, c, op);
        }
    }

    private static void checkOp(AuthState s, Caller c, RequestOp op) {
        switch (op.getRequestCase()) {
            case REQUEST_RANGE -> checkRange(s, c, op.getRequestRange());
            case REQUEST_PUT -> checkPut(s, c, op.getRequestPut());
            case REQUEST_DELETE_RANGE -> checkDeleteRange(s, c, op.getRequestDeleteRange());
            case REQUEST_TXN -> checkTxn(s, c, op.getRequestTxn());
            case REQUEST_NOT_SET -> { }
        }
    }
}
