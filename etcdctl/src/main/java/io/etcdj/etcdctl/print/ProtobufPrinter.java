package io.etcdj.etcdctl.print;

import com.google.protobuf.Message;
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
import io.etcdj.api.etcdserverpb.MemberRemoveResponse;
import io.etcdj.api.etcdserverpb.MemberUpdateResponse;
import io.etcdj.api.etcdserverpb.MoveLeaderResponse;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.etcdserverpb.WatchResponse;

/**
 * -w protobuf: the response message's wire encoding, written raw. The lease results are
 * clientv3 structs without a Marshal method, so etcdctl rejects them (as it does here).
 */
public final class ProtobufPrinter implements Printer {
    private final Output out;

    public ProtobufPrinter(Output out) {
        this.out = out;
    }

    @Override public String format() { return "protobuf"; }
    @Override public Output out() { return out; }

    private void pb(Message m) {
        out.write(m.toByteArray());
    }

    @Override public void del(DeleteRangeResponse r) { pb(r); }
    @Override public void get(RangeResponse r) { pb(r); }
    @Override public void put(PutResponse r) { pb(r); }
    @Override public void txn(TxnResponse r) { pb(r); }

    @Override
    public void watch(WatchBatch w) {
        WatchResponse.Builder b = WatchResponse.newBuilder().setHeader(w.header()).addAllEvents(w.events())
                .setCompactRevision(w.compactRevision()).setCanceled(w.canceled()).setCreated(w.created());
        pb(b.build());
    }

    /**
     * The clientv3 lease structs embed *pb.ResponseHeader, whose Marshal method Go promotes, so
     * etcdctl writes just the header's encoding for them.
     */
    @Override public void grant(LeaseGrantResponse r) { pb(r.getHeader()); }
    @Override public void keepAlive(LeaseKeepAliveResponse r) { pb(r.getHeader()); }
    @Override public void timeToLive(LeaseTimeToLiveResponse r, boolean keys) { pb(r.getHeader()); }
    @Override public void leases(LeaseLeasesResponse r) { pb(r.getHeader()); }

    /** LeaseRevokeResponse is passed by value and has no Marshal method: etcdctl refuses it. */
    @Override
    public void revoke(long id, LeaseRevokeResponse r) {
        throw new UnsupportedFormatException("marshal unsupported for type clientv3.LeaseRevokeResponse ({"
                + (r.hasHeader() ? ProtoText.compact(r.getHeader()) : "") + "})");
    }

    @Override public void memberAdd(MemberAddResponse r) { pb(r); }
    @Override public void memberRemove(long id, MemberRemoveResponse r) { pb(r); }
    @Override public void memberUpdate(long id, MemberUpdateResponse r) { pb(r); }
    @Override public void memberList(MemberListResponse r) { pb(r); }
    @Override public void alarm(AlarmResponse r) { pb(r); }
    @Override public void moveLeader(long leader, long target, MoveLeaderResponse r) { pb(r); }
    @Override public void downgrade(String action, DowngradeResponse r) { pb(r); }
    @Override public void roleAdd(String role, AuthRoleAddResponse r) { pb(r); }
    @Override public void roleGet(String role, AuthRoleGetResponse r) { pb(r); }
    @Override public void roleDelete(String role, AuthRoleDeleteResponse r) { pb(r); }
    @Override public void roleList(AuthRoleListResponse r) { pb(r); }
    @Override public void roleGrantPermission(String role, AuthRoleGrantPermissionResponse r) { pb(r); }

    @Override
    public void roleRevokePermission(String role, String key, String end, AuthRoleRevokePermissionResponse r) {
        pb(r);
    }

    @Override public void userAdd(String user, AuthUserAddResponse r) { pb(r); }
    @Override public void userGet(String user, AuthUserGetResponse r) { pb(r); }
    @Override public void userList(AuthUserListResponse r) { pb(r); }
    @Override public void userChangePassword(AuthUserChangePasswordResponse r) { pb(r); }
    @Override public void userGrantRole(String user, String role, AuthUserGrantRoleResponse r) { pb(r); }
    @Override public void userRevokeRole(String user, String role, AuthUserRevokeRoleResponse r) { pb(r); }
    @Override public void userDelete(String user, AuthUserDeleteResponse r) { pb(r); }
}
