package io.etcdj.server.v2.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Operation counters of one store, as /v2/stats/store reports them (in etcd's field order).
 * Local to a member and not part of snapshots.
 */
public final class StoreStats {
    long getsSuccess, getsFail, setsSuccess, setsFail, deleteSuccess, deleteFail, updateSuccess,
            updateFail, createSuccess, createFail, compareAndSwapSuccess, compareAndSwapFail,
            compareAndDeleteSuccess, compareAndDeleteFail, expireCount;

    /** The counters in etcd's JSON order, plus the current number of watchers. */
    public synchronized Map<String, Long> toMap(long watchers) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("getsSuccess", getsSuccess);
        m.put("getsFail", getsFail);
        m.put("setsSuccess", setsSuccess);
        m.put("setsFail", setsFail);
        m.put("deleteSuccess", deleteSuccess);
        m.put("deleteFail", deleteFail);
        m.put("updateSuccess", updateSuccess);
        m.put("updateFail", updateFail);
        m.put("createSuccess", createSuccess);
        m.put("createFail", createFail);
        m.put("compareAndSwapSuccess", compareAndSwapSuccess);
        m.put("compareAndSwapFail", compareAndSwapFail);
        m.put("compareAndDeleteSuccess", compareAndDeleteSuccess);
        m.put("compareAndDeleteFail", compareAndDeleteFail);
        m.put("expireCount", expireCount);
        m.put("watchers", watchers);
        return m;
    }
}
