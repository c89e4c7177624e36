package io.etcdj.etcdctl.print;

import io.etcdj.api.etcdserverpb.AlarmResponse;
import io.etcdj.api.etcdserverpb.AuthRoleAddResponse;
import io.etcdj.api.etcdserverpb.AuthRoleDeleteResponse;
import io.etcdj.api.etcdserverpb.AuthRoleGetResponse;
import io.etcdj.api.etcdserverpb.AuthRoleGrantPermissionResponse;
import io.etcdj.api.etcdserverpb.AuthRoleListResponse;
import io.etcdj.api.etcdserverpb.AuthRoleRevokePermissionResponse;
import io.etcdj.api.etcdserverpb.AuthUserAddResponse;
import io.etcdj.api.etcdserverpb.AuthUserChangePasswordResponse;
import io.etcdj.api.etcdserverpb.AuthUserDeleteResponse;
import io.etcdj.api.etcdserverpb.AuthUserGetResponse;
import io.etcdj.api.etcdserverpb.AuthUserGrantRoleResponse;
import io.etcdj.api.etcdserverpb.AuthUserListResponse;
import io.etcdj.api.etcdserverpb.AuthUserRevokeRoleResponse;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.DowngradeResponse;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.etcdj.api.etcdserverpb.LeaseLeasesResponse;
import io.etcdj.api.etcdserverpb.LeaseRevokeResponse;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcdj.api.etcdserverpb.MemberAddResponse;
import io.etcdj.api.etcdserverpb.MemberListResponse;
import io.etcdj.api.etcdserverpb.MemberPromoteResponse;
import io.etcdj.api.etcdserverpb.MemberRemoveResponse;
import io.etcdj.api.etcdserverpb.MemberUpdateResponse;
import io.etcdj.api.etcdserverpb.MoveLeaderResponse;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.TxnResponse;
import java.util.List;

/**
 * Renders command results in one -w format. Every method has a default that rejects the
 * format the way etcdctl does ("Error: X not supported as output format", exit 4), so each
 * format overrides exactly what etcdctl 3.4 supports for it.
 */
public interface Printer {
    /** The format's name as given to -w. */
    String format();

    Output out();

    default void unsupported() {
        throw new UnsupportedFormatException(format() + " not supported as output format");
    }

    default void del(DeleteRangeResponse r) { unsupported(); }
    default void get(RangeResponse r) { unsupported(); }
    default void put(PutResponse r) { unsupported(); }
    default void txn(TxnResponse r) { unsupported(); }
    default void watch(WatchBatch w) { unsupported(); }

    default void grant(LeaseGrantResponse r) { unsupported(); }
    default void revoke(long id, LeaseRevokeResponse r) { unsupported(); }
    default void keepAlive(LeaseKeepAliveResponse r) { unsupported(); }
    default void timeToLive(LeaseTimeToLiveResponse r, boolean keys) { unsupported(); }
    default void leases(LeaseLeasesResponse r) { unsupported(); }

    default void memberAdd(MemberAddResponse r) { unsupported(); }
    default void memberRemove(long id, MemberRemoveResponse r) { unsupported(); }
    default void memberUpdate(long id, MemberUpdateResponse r) { unsupported(); }
    default void memberPromote(long id, MemberPromoteResponse r) { unsupported(); }
    default void memberList(MemberListResponse r) { unsupported(); }

    default void endpointHealth(List<EndpointHealth> r) { unsupported(); }
    default void endpointStatus(List<EndpointStatus> r) { unsupported(); }
    default void endpointHashKV(List<EndpointHashKV> r) { unsupported(); }
    default void moveLeader(long leader, long target, MoveLeaderResponse r) { unsupported(); }
    default void alarm(AlarmResponse r) { unsupported(); }
    /** etcdctl 3.6's downgrade validate|enable|cancel; {@code action} is the subcommand's name. */
    default void downgrade(String action, DowngradeResponse r) { unsupported(); }
    default void dbStatus(DbStatus r) { unsupported(); }

    default void roleAdd(String role, AuthRoleAddResponse r) { unsupported(); }
    default void roleGet(String role, AuthRoleGetResponse r) { unsupported(); }
    default void roleDelete(String role, AuthRoleDeleteResponse r) { unsupported(); }
    default void roleList(AuthRoleListResponse r) { unsupported(); }
    default void roleGrantPermission(String role, AuthRoleGrantPermissionResponse r) { unsupported(); }
    default void roleRevokePermission(String role, String key, String end, AuthRoleRevokePermissionResponse r) {
        unsupported();
    }

    default void userAdd(String user, AuthUserAddResponse r) { unsupported(); }
    default void userGet(String user, AuthUserGetResponse r) { unsupported(); }
    default void userList(AuthUserListResponse r) { unsupported(); }
    default void userChangePassword(AuthUserChangePasswordResponse r) { unsupported(); }
    default void userGrantRole(String user, String role, AuthUserGrantRoleResponse r) { unsupported(); }
    default void userRevokeRole(String user, String role, AuthUserRevokeRoleResponse r) { unsupported(); }
    default void userDelete(String user, AuthUserDeleteResponse r) { unsupported(); }

    /** The printer for a -w value, or null for an unknown format. */
    static Printer forFormat(String format, boolean hex, Output out) {
        return switch (format) {
            case "simple" -> new SimplePrinter(out, hex);
            case "fields" -> new FieldsPrinter(out);
            case "json" -> new JsonPrinter(out);
            case "protobuf" -> new ProtobufPrinter(out);
            case "table" -> new TablePrinter(out);
            default -> null;
        };
    }
}
