package io.etcdj.server.apply;

import com.google.protobuf.Message;
import io.etcdj.api.etcdserverpb.AlarmMember;
import io.etcdj.api.etcdserverpb.AlarmType;
import io.etcdj.mvcc.quota.QuotaChecker;
import io.etcdj.server.EtcdError;
import io.etcdj.server.pb.InternalRaftRequest;
import java.util.List;

/**
 * What raised alarms forbid at apply time, as etcd's stacked appliers do: while any CORRUPT alarm is
 * raised every key-space and lease request is refused ("corrupt cluster"); while any NOSPACE alarm is
 * raised a request that may grow the store (a put, a txn with a put, a lease grant) is refused
 * ("database space exceeded"). Alarm requests, deletions, compactions and revokes (under NOSPACE) and
 * membership changes always pass, so an operator can free space and disarm.
 */
final class AlarmGate {
    private AlarmGate() {}

    /** The error to refuse {@code request} with under {@code alarms}, or null if it may be applied. */
    static EtcdError refusal(InternalRaftRequest request, List<AlarmMember> alarms) {
        if (alarms.isEmpty()) {
            return null;
        }
        boolean corrupt = alarms.stream().anyMatch(a -> a.getAlarm() == AlarmType.CORRUPT);
        boolean noSpace = alarms.stream().anyMatch(a -> a.getAlarm() == AlarmType.NOSPACE);
        switch (request.getRequestCase()) {
            case PUT, TXN, LEASE_GRANT -> {
                if (corrupt) {
                    return EtcdError.CORRUPT;
                }
                if (noSpace && QuotaChecker.cost(payload(request)) > 0) {
                    return EtcdError.NO_SPACE;
                }
                return null;
            }
            case DELETE_RANGE, COMPACTION, LEASE_REVOKE -> {
                return corrupt ? EtcdError.CORRUPT : null;
            }
            default -> {
                return null;
            }
        }
    }

    private static Message payload(InternalRaftRequest r) {
        return switch (r.getRequestCase()) {
            case PUT -> r.getPut();
            case TXN -> r.getTxn();
            default -> r.getLeaseGrant();
        };
    }
}
