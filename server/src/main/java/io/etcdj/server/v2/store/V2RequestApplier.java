package io.etcdj.server.v2.store;

/**
 * Applies a replicated {@link V2Request} to a {@link V2Store}, choosing the store operation the way
 * etcd does:
 * <ul>
 *   <li>POST: create with an in-order unique name;</li>
 *   <li>PUT with prevExist=true: update (compareAndSwap when prevValue/prevIndex are given);
 *       prevExist=false: create; else with prevValue/prevIndex: compareAndSwap; else set;</li>
 *   <li>DELETE with prevValue/prevIndex: compareAndDelete; else delete;</li>
 *   <li>QGET: get; SYNC: expire keys up to {@code time} (returns null).</li>
 * </ul>
 * Pure: the result depends only on the store and the request. Errors are thrown as {@link V2Error}.
 */
public final class V2RequestApplier {
    private V2RequestApplier() {
    }

    public static V2Event apply(V2Store store, V2Request r) {
        long now = r.time();
        switch (r.method()) {
            case "POST":
                return store.create(r.path(), r.dir(), r.val(), true, r.expiration(), now);
            case "PUT": {
                boolean cmp = r.prevIndex() > 0 || !r.prevValue().isEmpty();
                if (r.prevExist() != null) {
                    if (r.prevExist()) {
                        if (!cmp) {
                            return store.update(r.path(), r.val(), r.expiration(), r.isRefresh(), now);
                        }
                        return store.compareAndSwap(r.path(), r.prevValue(), r.prevIndex(), r.val(),
                                r.expiration(), r.isRefresh(), now);
                    }
                    return store.create(r.path(), r.dir(), r.val(), false, r.expiration(), now);
                }
                if (cmp) {
                    return store.compareAndSwap(r.path(), r.prevValue(), r.prevIndex(), r.val(),
                            r.expiration(), r.isRefresh(), now);
                }
                return store.set(r.path(), r.dir(), r.val(), r.expiration(), r.isRefresh(), now);
            }
            case "DELETE":
                if (r.prevIndex() > 0 || !r.prevValue().isEmpty()) {
                    return store.compareAndDelete(r.path(), r.prevValue(), r.prevIndex(), now);
                }
                return store.delete(r.path(), r.dir(), r.recursive(), now);
            case "QGET":
                return store.get(r.path(), r.recursive(), r.sorted(), now);
            case "SYNC":
                store.deleteExpiredKeys(r.time());
                return null;
            default:
                throw new V2Error(V2Error.RAFT_INTERNAL, "unknown method " + r.method(), store.index());
        }
    }
}
