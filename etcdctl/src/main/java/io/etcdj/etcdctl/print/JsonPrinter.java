package io.etcdj.etcdctl.print;

import com.google.protobuf.ByteString;
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
import io.etcdj.api.etcdserverpb.LeaseStatus;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcdj.api.etcdserverpb.MemberAddResponse;
import io.etcdj.api.etcdserverpb.MemberListResponse;
import io.etcdj.api.etcdserverpb.MemberRemoveResponse;
import io.etcdj.api.etcdserverpb.MemberUpdateResponse;
import io.etcdj.api.etcdserverpb.MoveLeaderResponse;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.TxnResponse;
import java.util.List;

/**
 * -w json: Go's encoding/json of what etcdctl hands its printer. For RPC responses that is the
 * gogo struct (see {@link GoJson}); the lease, watch and endpoint results are clientv3/etcdctl
 * structs whose Go field names and tags are reproduced here one by one.
 */
public final class JsonPrinter implements Printer {
    private final Output out;

    public JsonPrinter(Output out) {
        this.out = out;
    }

    @Override public String format() { return "json"; }
    @Override public Output out() { return out; }

    private void json(Message m) {
        out.println(GoJson.message(m));
    }

    @Override public void del(DeleteRangeResponse r) { json(r); }
    @Override public void get(RangeResponse r) { json(r); }
    @Override public void put(PutResponse r) { json(r); }
    @Override public void txn(TxnResponse r) { json(r); }

    @Override
    public void watch(WatchBatch w) {
        StringBuilder b = new StringBuilder("{\"Header\":");
        GoJson.writeMessage(b, w.header());
        // clientv3 always allocates the events slice, so an empty batch is [] (not null)
        b.append(",\"Events\":[");
        for (int i = 0; i < w.events().size(); i++) {
            if (i > 0) b.append(',');
            GoJson.writeMessage(b, w.events().get(i));
        }
        b.append(']');
        b.append(",\"CompactRevision\":").append(w.compactRevision());
        b.append(",\"Canceled\":").append(w.canceled());
        b.append(",\"Created\":").append(w.created()).append('}');
        out.println(b.toString());
    }

    /** The fields of an embedded *pb.ResponseHeader, promoted into the outer object; "" when nil. */
    private static String promotedHeader(boolean has, ResponseHeader h) {
        if (!has) {
            return "";
        }
        String inner = GoJson.message(h);
        inner = inner.substring(1, inner.length() - 1);
        return inner.isEmpty() ? "" : inner + ",";
    }

    @Override
    public void grant(LeaseGrantResponse r) {
        out.println("{" + promotedHeader(r.hasHeader(), r.getHeader()) + "\"ID\":" + r.getID() + ",\"TTL\":" + r.getTTL()
                + ",\"Error\":" + GoJson.string(r.getError()) + "}");
    }

    @Override
    public void revoke(long id, LeaseRevokeResponse r) {
        json(r);
    }

    @Override
    public void keepAlive(LeaseKeepAliveResponse r) {
        out.println("{" + promotedHeader(r.hasHeader(), r.getHeader()) + "\"ID\":" + r.getID() + ",\"TTL\":"
                + r.getTTL() + "}");
    }

    @Override
    public void timeToLive(LeaseTimeToLiveResponse r, boolean keys) {
        StringBuilder b = new StringBuilder("{").append(promotedHeader(r.hasHeader(), r.getHeader()));
        b.append("\"id\":").append(r.getID()).append(",\"ttl\":").append(r.getTTL())
                .append(",\"granted-ttl\":").append(r.getGrantedTTL()).append(",\"keys\":");
        List<ByteString> ks = r.getKeysList();
        if (ks.isEmpty()) {
            b.append("null");
        } else {
            b.append('[');
            for (int i = 0; i < ks.size(); i++) {
                if (i > 0) b.append(',');
                b.append(GoJson.bytes(ks.get(i).toByteArray()));
            }
            b.append(']');
        }
        out.println(b.append('}').toString());
    }

    @Override
    public void leases(LeaseLeasesResponse r) {
        StringBuilder b = new StringBuilder("{").append(promotedHeader(r.hasHeader(), r.getHeader()));
        // clientv3 allocates the leases slice with make(), so no leases is [] (not null)
        b.append("\"leases\":[");
        for (int i = 0; i < r.getLeasesCount(); i++) {
            LeaseStatus s = r.getLeases(i);
            if (i > 0) b.append(',');
            b.append("{\"id\":").append(s.getID()).append('}');
        }
        b.append(']');
        out.println(b.append('}').toString());
    }

    @Override public void memberAdd(MemberAddResponse r) { json(r); }
    @Override public void memberRemove(long id, MemberRemoveResponse r) { json(r); }
    @Override public void memberUpdate(long id, MemberUpdateResponse r) { json(r); }
    @Override public void memberList(MemberListResponse r) { json(r); }
    @Override public void alarm(AlarmResponse r) { json(r); }
    @Override public void moveLeader(long leader, long target, MoveLeaderResponse r) { json(r); }
    @Override public void downgrade(String action, DowngradeResponse r) { json(r); }

    @Override
    public void endpointHealth(List<EndpointHealth> hs) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < hs.size(); i++) {
            EndpointHealth h = hs.get(i);
            if (i > 0) b.append(',');
            b.append("{\"endpoint\":").append(GoJson.string(h.endpoint())).append(",\"health\":").append(h.health())
                    .append(",\"took\":").append(GoJson.string(h.took()));
            if (!h.error().isEmpty()) {
                b.append(",\"error\":").append(GoJson.string(h.error()));
            }
            b.append('}');
        }
        out.println(b.append(']').toString());
    }

    @Override
    public void endpointStatus(List<EndpointStatus> ss) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < ss.size(); i++) {
            if (i > 0) b.append(',');
            b.append("{\"Endpoint\":").append(GoJson.string(ss.get(i).endpoint())).append(",\"Status\":");
            GoJson.writeMessage(b, ss.get(i).status());
            b.append('}');
        }
        out.println(b.append(']').toString());
    }

    @Override
    public void endpointHashKV(List<EndpointHashKV> hs) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < hs.size(); i++) {
            if (i > 0) b.append(',');
            b.append("{\"Endpoint\":").append(GoJson.string(hs.get(i).endpoint())).append(",\"HashKV\":");
            GoJson.writeMessage(b, hs.get(i).hash());
            b.append('}');
        }
        out.println(b.append(']').toString());
    }

    @Override
    public void dbStatus(DbStatus r) {
        out.println("{\"hash\":" + r.hash() + ",\"revision\":" + r.revision() + ",\"totalKey\":" + r.totalKey()
                + ",\"totalSize\":" + r.totalSize() + "}");
    }

    @Override public void roleAdd(String role, AuthRoleAddResponse r) { json(r); }
    @Override public void roleGet(String role, AuthRoleGetResponse r) { json(r); }
    @Override public void roleDelete(String role, AuthRoleDeleteResponse r) { json(r); }
    @Override public void roleList(AuthRoleListResponse r) { json(r); }
    @Override public void roleGrantPermission(String role, AuthRoleGrantPermissionResponse r) { json(r); }

    @Override
    public void roleRevokePermission(String role, String key, String end, AuthRoleRevokePermissionResponse r) {
        json(r);
    }

    @Override public void userAdd(String user, AuthUserAddResponse r) { json(r); }
    @Override public void userGet(String user, AuthUserGetResponse r) { json(r); }
    @Override public void userList(AuthUserListResponse r) { json(r); }
    @Override public void userChangePassword(AuthUserChangePasswordResponse r) { json(r); }
    @Override public void userGrantRole(String user, String role, AuthUserGrantRoleResponse r) { json(r); }
    @Override public void userRevokeRole(String user, String role, AuthUserRevokeRoleResponse r) { json(r); }
    @Override public void userDelete(String user, AuthUserDeleteResponse r) { json(r); }
}
