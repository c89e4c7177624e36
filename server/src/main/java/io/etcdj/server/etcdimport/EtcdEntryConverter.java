package io.etcdj.server.etcdimport;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.etcdj.api.etcdserverpb.AlarmRequest;
import io.etcdj.api.etcdserverpb.AuthDisableRequest;
import io.etcdj.api.etcdserverpb.AuthEnableRequest;
import io.etcdj.api.etcdserverpb.AuthRoleAddRequest;
import io.etcdj.api.etcdserverpb.AuthRoleDeleteRequest;
import io.etcdj.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import io.etcdj.api.etcdserverpb.AuthRoleRevokePermissionRequest;
import io.etcdj.api.etcdserverpb.AuthUserAddRequest;
import io.etcdj.api.etcdserverpb.AuthUserChangePasswordRequest;
import io.etcdj.api.etcdserverpb.AuthUserDeleteRequest;
import io.etcdj.api.etcdserverpb.AuthUserGrantRoleRequest;
import io.etcdj.api.etcdserverpb.AuthUserRevokeRoleRequest;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.LeaseCheckpointRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfChangeType;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.server.auth.PasswordHasher;
import io.etcdj.server.pb.AuthCaller;
import io.etcdj.server.pb.ClusterVersionSet;
import io.etcdj.server.pb.InternalAuthenticateRequest;
import io.etcdj.server.pb.InternalRaftRequest;
import io.etcdj.server.pb.MemberAttributes;
import io.etcdj.server.pb.MemberRecord;
import io.etcdj.server.pb.V2Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an entry of etcd's raft log into ours, at the same index and term, so that our applier does
 * what etcd's would have done. What etcd writes into an entry:
 * <ul>
 *   <li>a conf change (raftpb.ConfChange, our field numbers) whose context is the member as etcd's JSON:
 *       ours carries a {@link MemberRecord};</li>
 *   <li>a v2 request, an etcdserverpb.Request (our {@link V2Request}'s field numbers) written as the entry
 *       itself: recognised by its field 2 being a method name, where an InternalRaftRequest's field 2 is
 *       a nested message. The member's publish ({@code PUT /0/members/<id>/attributes}) and the cluster
 *       version ({@code PUT /0/version}) become our own requests for them;</li>
 *   <li>an etcdserverpb.InternalRaftRequest: the KV, lease, alarm and compaction requests have our field
 *       numbers and types; the caller moves from the header (100) to ours; the auth requests move from
 *       1000-1204 to 2000-2011, a new password is hashed here (ours carry bcrypt hashes, etcd's carry the
 *       password) and Authenticate's simple token is our token prefix; the auth reads etcd 3.4 sends
 *       through raft (user/role get and list) and a range change nothing and become empty requests;
 *       etcd 3.5's cluster version (1300) and member attributes (1301) become ours.</li>
 * </ul>
 * Anything else (a v2 ConfChangeV2, a downgrade, an unknown field) is refused with the entry's index.
 */
final class EtcdEntryConverter {
    private static final Set<String> V2_METHODS = Set.of("GET", "QGET", "PUT", "POST", "DELETE", "SYNC", "HEAD");
    private static final Pattern ATTRIBUTES = Pattern.compile("/0/members/([0-9a-f]+)/attributes");
    private static final String VERSION_PATH = "/0/version";

    private final PasswordHasher hasher;

    EtcdEntryConverter(PasswordHasher hasher) {
        this.hasher = hasher;
    }

    Entry convert(Entry e) throws IOException {
        try {
            return switch (e.getType()) {
                case EntryConfChange -> e.toBuilder().setData(confChange(ConfChange.parseFrom(e.getData())).toByteString()).build();
                case EntryNormal -> e.getData().isEmpty() ? e : e.toBuilder().setData(normal(e.getData()).toByteString()).build();
                default -> throw new Refused("a " + e.getType() + " entry (etcd 3.4 writes none)");
            };
        } catch (Refused r) {
            throw new IOException("cannot import entry " + e.getIndex() + " of etcd's WAL: " + r.getMessage(), r);
        } catch (IOException bad) {
            throw new IOException("cannot import entry " + e.getIndex() + " of etcd's WAL (" + e.getType() + "): "
                    + bad.getMessage(), bad);
        }
    }

    private static ConfChange confChange(ConfChange cc) throws IOException {
        if (cc.getContext().isEmpty() || cc.getType() == ConfChangeType.ConfChangeRemoveNode) {
            return cc.toBuilder().clearContext().build();
        }
        return cc.toBuilder().setContext(EtcdMemberJson.parse(cc.getNodeId(), cc.getContext().toByteArray()).toByteString())
                .build();
    }

    private InternalRaftRequest normal(ByteString data) throws IOException {
        if (isV2Request(data)) {
            return v2(V2Request.parseFrom(data)).build();
        }
        InternalRaftRequest.Builder out = InternalRaftRequest.newBuilder();
        CodedInputStream in = data.newCodedInput();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = tag >>> 3;
            if (field == 1) {
                out.setId(in.readUInt64());
                continue;
            }
            ByteString b = in.readBytes();
            switch (field) {
                case 100 -> header(b, out);
                case 2 -> out.mergeFrom(v2(V2Request.parseFrom(b)).clearId().build());
                case 3, 1102, 1106, 1107, 1202 -> { } // reads: nothing to apply
                case 4 -> out.setPut(PutRequest.parseFrom(b));
                case 5 -> out.setDeleteRange(DeleteRangeRequest.parseFrom(b));
                case 6 -> out.setTxn(TxnRequest.parseFrom(b));
                case 7 -> out.setCompaction(CompactionRequest.parseFrom(b));
                case 8 -> out.setLeaseGrant(LeaseGrantRequest.parseFrom(b));
                case 9 -> out.setLeaseRevoke(LeaseRevokeRequest.parseFrom(b));
                case 10 -> out.setAlarm(AlarmRequest.parseFrom(b));
                case 11 -> out.setLeaseCheckpoint(LeaseCheckpointRequest.parseFrom(b));
                case 1000 -> out.setAuthEnable(AuthEnableRequest.parseFrom(b));
                case 1011 -> out.setAuthDisable(AuthDisableRequest.parseFrom(b));
                case 1012 -> out.setAuthenticate(authenticate(b));
                case 1100 -> out.setAuthUserAdd(userAdd(AuthUserAddRequest.parseFrom(b)));
                case 1101 -> out.setAuthUserDelete(AuthUserDeleteRequest.parseFrom(b));
                case 1103 -> out.setAuthUserChangePassword(changePassword(AuthUserChangePasswordRequest.parseFrom(b)));
                case 1104 -> out.setAuthUserGrantRole(AuthUserGrantRoleRequest.parseFrom(b));
                case 1105 -> out.setAuthUserRevokeRole(AuthUserRevokeRoleRequest.parseFrom(b));
                case 1200 -> out.setAuthRoleAdd(AuthRoleAddRequest.parseFrom(b));
                case 1201 -> out.setAuthRoleDelete(AuthRoleDeleteRequest.parseFrom(b));
                case 1203 -> out.setAuthRoleGrantPermission(AuthRoleGrantPermissionRequest.parseFrom(b));
                case 1204 -> out.setAuthRoleRevokePermission(AuthRoleRevokePermissionRequest.parseFrom(b));
                case 1300 -> out.setClusterVersionSet(ClusterVersionSet.parseFrom(b));
                case 1301 -> out.setMemberAttributes(memberAttrSet(b));
                default -> throw new Refused("an InternalRaftRequest with field " + field + ", which etcdj has no request for");
            }
        }
        return out.build();
    }

    /** Whether {@code data} is a v2 request written as the entry (field 2 a method name, see the class comment). */
    static boolean isV2Request(ByteString data) throws IOException {
        CodedInputStream in = data.newCodedInput();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == (2 << 3 | 2)) {
                return V2_METHODS.contains(in.readBytes().toStringUtf8());
            }
            in.skipField(tag);
        }
        return false;
    }

    private static InternalRaftRequest.Builder v2(V2Request r) throws IOException {
        InternalRaftRequest.Builder out = InternalRaftRequest.newBuilder().setId(r.getId());
        if (!r.getMethod().equals("PUT")) {
            return out.setV2(r);
        }
        Matcher m = ATTRIBUTES.matcher(r.getPath());
        if (m.matches()) {
            long id = Long.parseUnsignedLong(m.group(1), 16);
            MemberRecord attrs = EtcdMemberJson.attributes(id, r.getVal());
            return out.setMemberAttributes(MemberAttributes.newBuilder().setMemberId(id).setName(attrs.getName())
                    .addAllClientUrls(attrs.getClientUrlsList()));
        }
        if (r.getPath().equals(VERSION_PATH)) {
            return out.setClusterVersionSet(ClusterVersionSet.newBuilder().setVer(r.getVal()));
        }
        return out.setV2(r);
    }

    /** etcdserverpb.RequestHeader {ID = 1, username = 2, auth_revision = 3}. */
    private static void header(ByteString b, InternalRaftRequest.Builder out) throws IOException {
        CodedInputStream in = b.newCodedInput();
        String user = "";
        long revision = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag) {
                case 8 -> out.setId(in.readUInt64());
                case 18 -> user = in.readStringRequireUtf8();
                case 24 -> revision = in.readUInt64();
                default -> in.skipField(tag);
            }
        }
        if (!user.isEmpty()) {
            out.setCaller(AuthCaller.newBuilder().setUserName(user).setAuthRevision(revision));
        }
    }

    /** etcd's InternalAuthenticateRequest {name = 1, password = 2, simple_token = 3}: the token is our prefix. */
    private static InternalAuthenticateRequest authenticate(ByteString b) throws IOException {
        CodedInputStream in = b.newCodedInput();
        InternalAuthenticateRequest.Builder out = InternalAuthenticateRequest.newBuilder();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag) {
                case 10 -> out.setName(in.readStringRequireUtf8());
                case 26 -> out.setSimpleTokenPrefix(in.readStringRequireUtf8());
                default -> in.skipField(tag);
            }
        }
        return out.build();
    }

    private AuthUserAddRequest userAdd(AuthUserAddRequest r) {
        if ((r.hasOptions() && r.getOptions().getNoPassword()) || !r.getHashedPassword().isEmpty()) {
            return r.toBuilder().clearPassword().build();
        }
        return r.toBuilder().clearPassword().setHashedPassword(hasher.hash(r.getPassword())).build();
    }

    private AuthUserChangePasswordRequest changePassword(AuthUserChangePasswordRequest r) {
        if (!r.getHashedPassword().isEmpty()) {
            return r.toBuilder().clearPassword().build();
        }
        return r.toBuilder().clearPassword().setHashedPassword(hasher.hash(r.getPassword())).build();
    }

    /** etcd 3.5's ClusterMemberAttrSetRequest {member_ID = 1, member_attributes = 2 {name = 1, client_urls = 2}}. */
    private static MemberAttributes memberAttrSet(ByteString b) throws IOException {
        CodedInputStream in = b.newCodedInput();
        MemberAttributes.Builder out = MemberAttributes.newBuilder();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag) {
                case 8 -> out.setMemberId(in.readUInt64());
                case 18 -> {
                    CodedInputStream a = in.readBytes().newCodedInput();
                    for (int t = a.readTag(); t != 0; t = a.readTag()) {
                        switch (t) {
                            case 10 -> out.setName(a.readStringRequireUtf8());
                            case 18 -> out.addClientUrls(a.readStringRequireUtf8());
                            default -> a.skipField(t);
                        }
                    }
                }
                default -> in.skipField(tag);
            }
        }
        return out.build();
    }

    /** An entry that has no counterpart in our log. */
    private static final class Refused extends IOException {
        Refused(String what) {
            super(what);
        }
    }
}
