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
import io.etcdj.api.etcdserverpb.MemberPromoteResponse;
import io.etcdj.api.etcdserverpb.MemberRemoveResponse;
import io.etcdj.api.etcdserverpb.MemberUpdateResponse;
import io.etcdj.api.etcdserverpb.MoveLeaderResponse;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.ResponseOp;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The default "simple" format: keys and values on their own lines, one-line summaries. */
public final class SimplePrinter implements Printer {
    private final Output out;
    private final boolean hex;
    private boolean valueOnly;

    public SimplePrinter(Output out, boolean hex) {
        this.out = out;
        this.hex = hex;
    }

    @Override public String format() { return "simple"; }
    @Override public Output out() { return out; }

    public void setValueOnly(boolean v) {
        valueOnly = v;
    }

    void kv(KeyValue kv) {
        byte[] k = kv.getKey().toByteArray();
        byte[] v = kv.getValue().toByteArray();
        if (hex) {
            k = hexEscaped(k);
            v = hexEscaped(v);
        }
        if (!valueOnly) {
            out.writeln(k);
        }
        out.writeln(v);
    }

    static byte[] hexEscaped(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append("\\x").append(String.format("%02x", x & 0xff));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void del(DeleteRangeResponse r) {
        out.println(Long.toString(r.getDeleted()));
        r.getPrevKvsList().forEach(this::kv);
    }

    @Override
    public void get(RangeResponse r) {
        r.getKvsList().forEach(this::kv);
    }

    @Override
    public void put(PutResponse r) {
        out.println("OK");
        if (r.hasPrevKv()) {
            kv(r.getPrevKv());
        }
    }

    @Override
    public void txn(TxnResponse r) {
        out.println(r.getSucceeded() ? "SUCCESS" : "FAILURE");
        for (ResponseOp op : r.getResponsesList()) {
            out.println("");
            switch (op.getResponseCase()) {
                case RESPONSE_DELETE_RANGE -> del(op.getResponseDeleteRange());
                case RESPONSE_PUT -> put(op.getResponsePut());
                case RESPONSE_RANGE -> get(op.getResponseRange());
                default -> out.println("unexpected response " + op);
            }
        }
    }

    @Override
    public void watch(WatchBatch w) {
        for (Event e : w.events()) {
            out.println(e.getType().name());
            if (e.hasPrevKv()) {
                kv(e.getPrevKv());
            }
            kv(e.getKv());
        }
    }

    @Override
    public void grant(LeaseGrantResponse r) {
        out.printf("lease %016x granted with TTL(%ds)\n", r.getID(), r.getTTL());
    }

    @Override
    public void revoke(long id, LeaseRevokeResponse r) {
        out.printf("lease %016x revoked\n", id);
    }

    @Override
    public void keepAlive(LeaseKeepAliveResponse r) {
        out.printf("lease %016x keepalived with TTL(%d)\n", r.getID(), r.getTTL());
    }

    @Override
    public void timeToLive(LeaseTimeToLiveResponse r, boolean keys) {
        if (r.getGrantedTTL() == 0 && r.getTTL() == -1) {
            out.printf("lease %016x already expired\n", r.getID());
            return;
        }
        String txt = String.format("lease %016x granted with TTL(%ds), remaining(%ds)", r.getID(), r.getGrantedTTL(),
                r.getTTL());
        if (keys) {
            List<String> ks = new ArrayList<>();
            r.getKeysList().forEach(k -> ks.add(k.toString(StandardCharsets.UTF_8)));
            txt += ", attached keys([" + String.join(" ", ks) + "])";
        }
        out.println(txt);
    }

    @Override
    public void leases(LeaseLeasesResponse r) {
        out.printf("found %d leases\n", r.getLeasesCount());
        for (LeaseStatus s : r.getLeasesList()) {
            out.printf("%016x\n", s.getID());
        }
    }

    @Override
    public void alarm(AlarmResponse r) {
        for (AlarmMember a : r.getAlarmsList()) {
            out.println(ProtoText.compact(a));
        }
    }

    @Override
    public void memberAdd(MemberAddResponse r) {
        out.printf("Member %16x added to cluster %16x\n", r.getMember().getID(), r.getHeader().getClusterId());
    }

    @Override
    public void memberRemove(long id, MemberRemoveResponse r) {
        out.printf("Member %16x removed from cluster %16x\n", id, r.getHeader().getClusterId());
    }

    @Override
    public void memberUpdate(long id, MemberUpdateResponse r) {
        out.printf("Member %16x updated in cluster %16x\n", id, r.getHeader().getClusterId());
    }

    @Override
    public void memberPromote(long id, MemberPromoteResponse r) {
        out.printf("Member %16x promoted in cluster %16x\n", id, r.getHeader().getClusterId());
    }

    @Override
    public void memberList(MemberListResponse r) {
        for (List<String> row : Tables.memberRows(r)) {
            out.println(String.join(", ", row));
        }
    }

    /** In the simple format etcdctl writes health lines to stderr, so the caller passes that stream. */
    public static void endpointHealthTo(Output err, List<EndpointHealth> hs) {
        for (EndpointHealth h : hs) {
            if (h.error().isEmpty()) {
                err.printf("%s is healthy: successfully committed proposal: took = %s\n", h.endpoint(), h.took());
            } else {
                err.printf("%s is unhealthy: failed to commit proposal: %s\n", h.endpoint(), h.error());
            }
        }
    }

    @Override
    public void endpointStatus(List<EndpointStatus> r) {
        for (List<String> row : Tables.statusRows(r)) {
            out.println(String.join(", ", row));
        }
    }

    @Override
    public void endpointHashKV(List<EndpointHashKV> r) {
        for (List<String> row : Tables.hashRows(r)) {
            out.println(String.join(", ", row));
        }
    }

    @Override
    public void dbStatus(DbStatus r) {
        out.println(String.join(", ", r.row()));
    }

    @Override
    public void moveLeader(long leader, long target, MoveLeaderResponse r) {
        out.printf("Leadership transferred from %s to %s\n", Long.toHexString(leader), Long.toHexString(target));
    }

    @Override
    public void downgrade(String action, DowngradeResponse r) {
        out.printf("Downgrade %s success, cluster version %s\n", action, r.getVersion());
    }

    @Override
    public void roleAdd(String role, AuthRoleAddResponse r) {
        out.printf("Role %s created\n", role);
    }

    @Override
    public void roleGet(String role, AuthRoleGetResponse r) {
        out.printf("Role %s\n", role);
        out.println("KV Read:");
        for (Permission p : r.getPermList()) {
            if (p.getPermType() == Permission.Type.READ || p.getPermType() == Permission.Type.READWRITE) {
                perm(p);
            }
        }
        out.println("KV Write:");
        for (Permission p : r.getPermList()) {
            if (p.getPermType() == Permission.Type.WRITE || p.getPermType() == Permission.Type.READWRITE) {
                perm(p);
            }
        }
    }

    private void perm(Permission p) {
        byte[] key = p.getKey().toByteArray();
        byte[] end = p.getRangeEnd().toByteArray();
        if (end.length == 0) {
            out.print("\t");
            out.writeln(key);
            return;
        }
        out.print("\t[");
        out.write(key);
        if (!(end.length == 1 && end[0] == 0)) {
            out.print(", ");
            out.write(end);
            out.print(")");
        } else {
            out.print(", <open ended>");
        }
        if (Arrays.equals(KeyRanges.prefixEnd(key), end)) {
            out.print(" (prefix ");
            out.write(key);
            out.print(")");
        }
        out.print("\n");
    }

    @Override
    public void roleList(AuthRoleListResponse r) {
        r.getRolesList().forEach(out::println);
    }

    @Override
    public void roleDelete(String role, AuthRoleDeleteResponse r) {
        out.printf("Role %s deleted\n", role);
    }

    @Override
    public void roleGrantPermission(String role, AuthRoleGrantPermissionResponse r) {
        out.printf("Role %s updated\n", role);
    }

    @Override
    public void roleRevokePermission(String role, String key, String end, AuthRoleRevokePermissionResponse r) {
        if (end.isEmpty()) {
            out.printf("Permission of key %s is revoked from role %s\n", key, role);
        } else if (!end.equals("\0")) {
            out.printf("Permission of range [%s, %s) is revoked from role %s\n", key, end, role);
        } else {
            out.printf("Permission of range [%s, <open ended> is revoked from role %s\n", key, role);
        }
    }

    @Override
    public void userAdd(String user, AuthUserAddResponse r) {
        out.printf("User %s created\n", user);
    }

    @Override
    public void userGet(String user, AuthUserGetResponse r) {
        out.printf("User: %s\n", user);
        out.print("Roles:");
        for (String role : r.getRolesList()) {
            out.print(" " + role);
        }
        out.print("\n");
    }

    @Override
    public void userChangePassword(AuthUserChangePasswordResponse r) {
        out.println("Password updated");
    }

    @Override
    public void userGrantRole(String user, String role, AuthUserGrantRoleResponse r) {
        out.printf("Role %s is granted to user %s\n", role, user);
    }

    @Override
    public void userRevokeRole(String user, String role, AuthUserRevokeRoleResponse r) {
        out.printf("Role %s is revoked from user %s\n", role, user);
    }

    @Override
    public void userDelete(String user, AuthUserDeleteResponse r) {
        out.printf("User %s deleted\n", user);
    }

    @Override
    public void userList(AuthUserListResponse r) {
        r.getUsersList().forEach(out::println);
    }
}
