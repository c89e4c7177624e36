package io.etcdj.etcdctl.print;

import io.etcdj.api.authpb.Permission;
import io.etcdj.api.etcdserverpb.AlarmMember;
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
import io.etcdj.api.etcdserverpb.AuthUserGrantRoleResponse;
import io.etcdj.api.etcdserverpb.AuthUserRevokeRoleResponse;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.etcdj.api.etcdserverpb.LeaseLeasesResponse;
import io.etcdj.api.etcdserverpb.LeaseRevokeResponse;
import io.etcdj.api.etcdserverpb.LeaseStatus;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcdj.api.etcdserverpb.Member;
import io.etcdj.api.etcdserverpb.MemberListResponse;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.ResponseOp;
import io.etcdj.api.etcdserverpb.StatusResponse;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import java.util.List;

/** -w fields: one {@code "Name" : value} line per field, Go %q for strings. */
public final class FieldsPrinter implements Printer {
    private final Output out;
    private String alarmCaller;

    /** Which command printed an alarm response ("list" or "disarm"), for the nil-header crash. */
    public void setAlarmCaller(String caller) {
        alarmCaller = caller;
    }

    public FieldsPrinter(Output out) {
        this.out = out;
    }

    @Override public String format() { return "fields"; }
    @Override public Output out() { return out; }

    private void line(String name, Object value) {
        out.println("\"" + name + "\" : " + value);
    }

    private void kv(String pfx, KeyValue kv) {
        line(pfx + "Key", GoQuote.quote(kv.getKey().toByteArray()));
        line(pfx + "CreateRevision", kv.getCreateRevision());
        line(pfx + "ModRevision", kv.getModRevision());
        line(pfx + "Version", kv.getVersion());
        line(pfx + "Value", GoQuote.quote(kv.getValue().toByteArray()));
        line(pfx + "Lease", kv.getLease());
    }

    private void hdr(ResponseHeader h) {
        line("ClusterID", Long.toUnsignedString(h.getClusterId()));
        line("MemberID", Long.toUnsignedString(h.getMemberId()));
        line("Revision", h.getRevision());
        line("RaftTerm", Long.toUnsignedString(h.getRaftTerm()));
    }

    @Override
    public void del(DeleteRangeResponse r) {
        hdr(r.getHeader());
        line("Deleted", r.getDeleted());
        r.getPrevKvsList().forEach(kv -> kv("Prev", kv));
    }

    @Override
    public void get(RangeResponse r) {
        hdr(r.getHeader());
        r.getKvsList().forEach(kv -> kv("", kv));
        line("More", r.getMore());
        line("Count", r.getCount());
    }

    @Override
    public void put(PutResponse r) {
        hdr(r.getHeader());
        if (r.hasPrevKv()) {
            kv("Prev", r.getPrevKv());
        }
    }

    @Override
    public void txn(TxnResponse r) {
        hdr(r.getHeader());
        line("Succeeded", r.getSucceeded());
        for (ResponseOp op : r.getResponsesList()) {
            switch (op.getResponseCase()) {
                case RESPONSE_DELETE_RANGE -> del(op.getResponseDeleteRange());
                case RESPONSE_PUT -> put(op.getResponsePut());
                case RESPONSE_RANGE -> get(op.getResponseRange());
                default -> line("Unknown", GoQuote.quote(op.toString()));
            }
        }
    }

    @Override
    public void watch(WatchBatch w) {
        hdr(w.header());
        for (Event e : w.events()) {
            line("Type", e.getType().name());
            if (e.hasPrevKv()) {
                kv("Prev", e.getPrevKv());
            }
            kv("", e.getKv());
        }
    }

    @Override
    public void grant(LeaseGrantResponse r) {
        hdr(r.getHeader());
        line("ID", r.getID());
        line("TTL", r.getTTL());
    }

    @Override
    public void revoke(long id, LeaseRevokeResponse r) {
        hdr(r.getHeader());
    }

    @Override
    public void keepAlive(LeaseKeepAliveResponse r) {
        hdr(r.getHeader());
        line("ID", r.getID());
        line("TTL", r.getTTL());
    }

    @Override
    public void timeToLive(LeaseTimeToLiveResponse r, boolean keys) {
        hdr(r.getHeader());
        line("ID", r.getID());
        line("TTL", r.getTTL());
        line("GrantedTTL", r.getGrantedTTL());
        r.getKeysList().forEach(k -> line("Key", GoQuote.quote(k.toByteArray())));
    }

    @Override
    public void leases(LeaseLeasesResponse r) {
        hdr(r.getHeader());
        for (LeaseStatus s : r.getLeasesList()) {
            line("ID", s.getID());
        }
    }

    @Override
    public void memberList(MemberListResponse r) {
        hdr(r.getHeader());
        for (Member m : r.getMembersList()) {
            line("ID", Long.toUnsignedString(m.getID()));
            line("Name", GoQuote.quote(m.getName()));
            m.getPeerURLsList().forEach(u -> line("PeerURL", GoQuote.quote(u)));
            m.getClientURLsList().forEach(u -> line("ClientURL", GoQuote.quote(u)));
            line("IsLearner", m.getIsLearner());
            out.println();
        }
    }

    @Override
    public void endpointHealth(List<EndpointHealth> hs) {
        for (EndpointHealth h : hs) {
            line("Endpoint", GoQuote.quote(h.endpoint()));
            line("Health", h.health());
            line("Took", h.took());
            line("Error", h.error());
            out.println();
        }
    }

    @Override
    public void endpointStatus(List<EndpointStatus> eps) {
        for (EndpointStatus ep : eps) {
            StatusResponse s = ep.status();
            hdr(s.getHeader());
            line("Version", GoQuote.quote(s.getVersion()));
            line("DBSize", s.getDbSize());
            line("Leader", Long.toUnsignedString(s.getLeader()));
            line("IsLearner", s.getIsLearner());
            line("RaftIndex", Long.toUnsignedString(s.getRaftIndex()));
            line("RaftTerm", Long.toUnsignedString(s.getRaftTerm()));
            line("RaftAppliedIndex", Long.toUnsignedString(s.getRaftAppliedIndex()));
            line("Errors", "[" + String.join(" ", s.getErrorsList()) + "]");
            line("Endpoint", GoQuote.quote(ep.endpoint()));
            out.println();
        }
    }

    @Override
    public void endpointHashKV(List<EndpointHashKV> hs) {
        for (EndpointHashKV h : hs) {
            hdr(h.hash().getHeader());
            line("Endpoint", GoQuote.quote(h.endpoint()));
            line("Hash", Integer.toUnsignedString(h.hash().getHash()));
            out.println();
        }
    }

    @Override
    public void dbStatus(DbStatus r) {
        line("Hash", r.hash());
        line("Revision", r.revision());
        line("Keys", r.totalKey());
        line("Size", r.totalSize());
    }

    @Override
    public void alarm(AlarmResponse r) {
        if (!r.hasHeader()) {
            throw new GoNilHeaderPanic(r.getAlarmsCount() == 0 && alarmCaller != null ? alarmCaller : "list");
        }
        hdr(r.getHeader());
        for (AlarmMember a : r.getAlarmsList()) {
            line("MemberID", Long.toUnsignedString(a.getMemberID()));
            line("AlarmType", a.getAlarm().name());
            out.println();
        }
    }

    @Override public void roleAdd(String role, AuthRoleAddResponse r) { hdr(r.getHeader()); }

    @Override
    public void roleGet(String role, AuthRoleGetResponse r) {
        hdr(r.getHeader());
        for (Permission p : r.getPermList()) {
            out.println("\"PermType\" :  " + p.getPermType().name());
            line("Key", GoQuote.quote(p.getKey().toByteArray()));
            line("RangeEnd", GoQuote.quote(p.getRangeEnd().toByteArray()));
        }
    }

    @Override public void roleDelete(String role, AuthRoleDeleteResponse r) { hdr(r.getHeader()); }

    @Override
    public void roleList(AuthRoleListResponse r) {
        hdr(r.getHeader());
        StringBuilder b = new StringBuilder("\"Roles\" :");
        r.getRolesList().forEach(x -> b.append(' ').append(GoQuote.quote(x)));
        out.println(b.toString());
    }

    @Override public void roleGrantPermission(String role, AuthRoleGrantPermissionResponse r) { hdr(r.getHeader()); }

    @Override
    public void roleRevokePermission(String role, String key, String end, AuthRoleRevokePermissionResponse r) {
        hdr(r.getHeader());
    }

    @Override public void userAdd(String user, AuthUserAddResponse r) { hdr(r.getHeader()); }
    @Override public void userChangePassword(AuthUserChangePasswordResponse r) { hdr(r.getHeader()); }
    @Override public void userGrantRole(String user, String role, AuthUserGrantRoleResponse r) { hdr(r.getHeader()); }
    @Override public void userRevokeRole(String user, String role, AuthUserRevokeRoleResponse r) { hdr(r.getHeader()); }
    @Override public void userDelete(String user, AuthUserDeleteResponse r) { hdr(r.getHeader()); }
}
