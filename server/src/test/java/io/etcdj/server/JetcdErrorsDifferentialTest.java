package io.etcdj.server;

import static io.etcdj.server.JetcdTranscript.await;
import static io.etcdj.server.JetcdTranscript.bs;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.auth.Permission;
import io.etcd.jetcd.maintenance.AlarmMember;
import io.etcd.jetcd.maintenance.AlarmType;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcdj.api.etcdserverpb.AuthGrpc;
import io.etcdj.api.etcdserverpb.AuthenticateRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every error a client can provoke through jetcd on a member without auth, against our member and
 * the reference etcd 3.4: compacted and future revisions, etcd's request limits (--max-txn-ops
 * 128, --max-request-bytes 1.5 MiB and gRPC's own receive limit above it), duplicate keys in a
 * txn, empty keys, unknown leases, membership refusals (with a learner that never starts), the
 * auth API while auth is off, compaction, hash and alarm edge cases. Each error is written as
 * jetcd's exception class, its code (the gRPC status code) and its message (the description).
 */
class JetcdErrorsDifferentialTest {
    @TempDir
    Path dir;

    @Test
    void jetcdGetsTheSameErrorsFromOurMemberAsFromEtcd() throws Exception {
        List<String> reference = JetcdSideBySide.assertSameTranscript(dir, endpoint -> new Scenario(endpoint).run());
        assertThat(reference).hasSizeGreaterThan(40);
    }

    private static final class Scenario {
        private final String endpoint;
        private final JetcdTranscript t = new JetcdTranscript();

        Scenario(String endpoint) {
            this.endpoint = endpoint;
        }

        List<String> run() throws Exception {
            try (Client client = Client.builder().endpoints("http://" + endpoint).build()) {
                KV kv = client.getKVClient();
                t.base(await(kv.get(bs("any"))).getHeader().getRevision());
                requestLimits(kv);
                revisions(client, kv);
                leases(client, kv);
                membership(client);
                authWhileDisabled(client);
            }
            return t.lines();
        }

        private void requestLimits(KV kv) {
            t.add("put an empty key: " + t.failure(() -> kv.put(ByteSequence.EMPTY, bs("v"))));
            t.add("get an empty key: " + t.failure(() -> kv.get(ByteSequence.EMPTY)));
            t.add("delete an empty key: " + t.failure(() -> kv.delete(ByteSequence.EMPTY)));
            t.add("txn with 128 puts: " + t.failure(() -> puts(kv.txn(), 128).commit()));
            t.add("txn with 129 puts: " + t.failure(() -> puts(kv.txn(), 129).commit()));
            t.add("txn with 65 puts in then and 65 in else: " + t.failure(() -> kv.txn()
                    .Then(ops(65)).Else(ops(65)).commit()));
            t.add("txn putting one key twice: " + t.failure(() -> kv.txn()
                    .Then(Op.put(bs("dup"), bs("1"), PutOption.DEFAULT), Op.put(bs("dup"), bs("2"), PutOption.DEFAULT))
                    .commit()));
            t.add("txn putting and deleting one key: " + t.failure(() -> kv.txn()
                    .Then(Op.put(bs("dup"), bs("1"), PutOption.DEFAULT), Op.delete(bs("dup"), DeleteOption.DEFAULT))
                    .commit()));
            t.add("txn putting one key in then and else: " + t.failure(() -> kv.txn()
                    .Then(Op.put(bs("dup"), bs("1"), PutOption.DEFAULT)).Else(Op.put(bs("dup"), bs("2"), PutOption.DEFAULT))
                    .commit()));
            t.add("put of 1.4 MiB: " + t.failure(() -> kv.put(bs("big"), value(1400 * 1024))));
            t.add("put of 1.6 MiB: " + t.failure(() -> kv.put(bs("big"), value(1600 * 1024))));
            // refused by the gRPC layer before etcd sees it, in grpc-go's words on both sides
            t.add("put of 3 MiB (over gRPC's receive limit, 1.5 MiB + 512 KiB): "
                    + t.failure(() -> kv.put(bs("big"), value(3 * 1024 * 1024))));
            t.add("txn of two puts of 0.8 MiB: " + t.failure(() -> kv.txn()
                    .Then(Op.put(bs("big1"), value(800 * 1024), PutOption.DEFAULT),
                            Op.put(bs("big2"), value(800 * 1024), PutOption.DEFAULT)).commit()));
        }

        private void revisions(Client client, KV kv) throws Exception {
            long first = await(kv.put(bs("r"), bs("1"))).getHeader().getRevision();
            long second = await(kv.put(bs("r"), bs("2"))).getHeader().getRevision();
            t.add("get at a future revision: " + t.failure(() -> kv.get(bs("r"), GetOption.builder().withRevision(second + 1).build())));
            t.add("compact to a future revision: " + t.failure(() -> kv.compact(second + 1)));
            t.add("hashkv at a future revision: " + t.failure(() -> client.getMaintenanceClient()
                    .hashKV("http://" + endpoint, second + 1)));
            t.add("compact to " + t.rev(second) + ": " + t.failure(() -> kv.compact(second)));
            t.add("compact to " + t.rev(second) + " again: " + t.failure(() -> kv.compact(second)));
            t.add("compact to " + t.rev(first) + ": " + t.failure(() -> kv.compact(first)));
            t.add("get at " + t.rev(first) + ": " + t.failure(() -> kv.get(bs("r"), GetOption.builder().withRevision(first).build())));
            t.add("get at " + t.rev(second) + ": " + t.failure(() -> kv.get(bs("r"), GetOption.builder().withRevision(second).build())));
            t.add("hashkv at " + t.rev(first) + ": " + t.failure(() -> client.getMaintenanceClient()
                    .hashKV("http://" + endpoint, first)));
            t.add("txn reading at " + t.rev(first) + ": " + t.failure(() -> kv.txn()
                    .Then(Op.get(bs("r"), GetOption.builder().withRevision(first).build())).commit()));
            t.add("disarm an alarm never raised: " + t.failure(() -> client.getMaintenanceClient()
                    .alarmDisarm(new AlarmMember(1, AlarmType.NOSPACE))));
            t.add("alarms: " + await(client.getMaintenanceClient().listAlarms()).getAlarms().size());
        }

        private void leases(Client client, KV kv) throws Exception {
            long unknown = 0x1234_5678L;
            t.nameLease(unknown, "unknown");
            t.add("put with an unknown lease: " + t.failure(() -> kv.put(bs("l"), bs("v"), PutOption.builder().withLeaseId(unknown).build())));
            t.add("txn put with an unknown lease: " + t.failure(() -> kv.txn()
                    .Then(Op.put(bs("l"), bs("v"), PutOption.builder().withLeaseId(unknown).build())).commit()));
            t.add("revoke an unknown lease: " + t.failure(() -> client.getLeaseClient().revoke(unknown)));
            t.add("keep an unknown lease alive once: " + t.failure(() -> client.getLeaseClient().keepAliveOnce(unknown)));
            var ttl = await(client.getLeaseClient().timeToLive(unknown, LeaseOption.builder().withAttachedKeys().build()));
            t.add("time-to-live of an unknown lease: ttl " + ttl.getTTL() + ", granted " + ttl.getGrantedTTL()
                    + ", keys " + ttl.getKeys().size());
            t.add("grant a lease of 9,000,000,001 s: " + t.failure(() -> client.getLeaseClient().grant(9_000_000_001L)));
            long lease = await(client.getLeaseClient().grant(60)).getID();
            t.nameLease(lease, "L");
            await(client.getLeaseClient().revoke(lease));
            t.add("put with a revoked lease: " + t.failure(() -> kv.put(bs("l"), bs("v"), PutOption.builder().withLeaseId(lease).build())));
        }

        private void membership(Client client) throws Exception {
            var cluster = client.getClusterClient();
            long self = await(cluster.listMember()).getMembers().get(0).getId();
            URI peer = URI.create("http://127.0.0.1:" + unusedPort());
            URI other = URI.create("http://127.0.0.1:" + unusedPort());
            URI selfPeer = await(cluster.listMember()).getMembers().get(0).getPeerURIs().get(0);
            long unknown = 0xabcdefL;
            t.add("remove an unknown member: " + t.failure(() -> cluster.removeMember(unknown)));
            t.add("update an unknown member: " + t.failure(() -> cluster.updateMember(unknown, List.of(other))));
            t.add("promote an unknown member: " + t.failure(() -> cluster.promoteMember(unknown)));
            t.add("promote a voting member: " + t.failure(() -> cluster.promoteMember(self)));
            t.add("add a member with this member's peer URL: " + t.failure(() -> cluster.addMember(List.of(selfPeer), true)));
            var added = await(cluster.addMember(List.of(peer), true));
            long learner = added.getMember().getId();
            t.add("learner added: learner " + added.getMember().isLearner() + ", members " + added.getMembers().size());
            // etcd hashes a new member's ID from its peer URLs and the time in whole seconds: the same
            // URLs again within the second are "member ID already exist", later "Peer URLs already
            // exists" (both sides check the ID first; MembershipChangeRulesTest pins the order)
            t.add("add a learner on the same peer URL: " + t.failure(() -> cluster.addMember(List.of(peer), true))
                    .replace("member ID already exist", "<same ID or peer URLs>")
                    .replace("Peer URLs already exists", "<same ID or peer URLs>"));
            t.add("add a learner on that peer URL and another: " + t.failure(() -> cluster.addMember(List.of(other, peer), true)));
            t.add("add a second learner: " + t.failure(() -> cluster.addMember(List.of(other), true)));
            t.add("promote the learner that never started: " + t.failure(() -> cluster.promoteMember(learner)));
            t.add("update the learner to this member's peer URL: " + t.failure(() -> cluster.updateMember(learner, List.of(selfPeer))));
            t.add("update the learner: " + t.failure(() -> cluster.updateMember(learner, List.of(other))));
            t.add("remove the learner: " + t.failure(() -> cluster.removeMember(learner)));
            t.add("remove it again: " + t.failure(() -> cluster.removeMember(learner)));
            t.add("promote the removed learner: " + t.failure(() -> cluster.promoteMember(learner)));
            t.add("move the leadership to an unknown member: " + t.failure(() -> client.getMaintenanceClient().moveLeader(unknown)));
            t.add("move the leadership to itself: " + t.failure(() -> client.getMaintenanceClient().moveLeader(self)));
        }

        private void authWhileDisabled(Client client) throws Exception {
            var auth = client.getAuthClient();
            t.add("enable auth without a root user: " + t.failure(auth::authEnable));
            t.add("disable auth that is not enabled: " + t.failure(auth::authDisable));
            t.add("get an unknown user: " + t.failure(() -> auth.userGet(bs("nobody"))));
            t.add("get an unknown role: " + t.failure(() -> auth.roleGet(bs("nobody"))));
            t.add("delete an unknown user: " + t.failure(() -> auth.userDelete(bs("nobody"))));
            t.add("delete an unknown role: " + t.failure(() -> auth.roleDelete(bs("nobody"))));
            t.add("change an unknown user's password: " + t.failure(() -> auth.userChangePassword(bs("nobody"), bs("pw"))));
            t.add("add a user with an empty name: " + t.failure(() -> auth.userAdd(ByteSequence.EMPTY, bs("pw"))));
            t.add("add a role with an empty name: " + t.failure(() -> auth.roleAdd(ByteSequence.EMPTY)));
            t.add("add user alice: " + t.failure(() -> auth.userAdd(bs("alice"), bs("pw"))));
            t.add("add user alice again: " + t.failure(() -> auth.userAdd(bs("alice"), bs("pw"))));
            t.add("add role reader: " + t.failure(() -> auth.roleAdd(bs("reader"))));
            t.add("add role reader again: " + t.failure(() -> auth.roleAdd(bs("reader"))));
            t.add("grant alice an unknown role: " + t.failure(() -> auth.userGrantRole(bs("alice"), bs("nobody"))));
            t.add("grant an unknown user a role: " + t.failure(() -> auth.userGrantRole(bs("nobody"), bs("reader"))));
            t.add("revoke a role alice lacks: " + t.failure(() -> auth.userRevokeRole(bs("alice"), bs("reader"))));
            t.add("grant an unknown role a permission: " + t.failure(() -> auth.roleGrantPermission(bs("nobody"),
                    bs("k"), bs("l"), Permission.Type.READ)));
            t.add("revoke a permission reader lacks: " + t.failure(() -> auth.roleRevokePermission(bs("reader"), bs("k"), bs("l"))));
            t.add("revoke a permission of an unknown role: " + t.failure(() -> auth.roleRevokePermission(bs("nobody"), bs("k"), bs("l"))));
            t.add("add user root: " + t.failure(() -> auth.userAdd(bs("root"), bs("pw"))));
            t.add("enable auth with a root user lacking the root role: " + t.failure(auth::authEnable));
            t.add("delete user root: " + t.failure(() -> auth.userDelete(bs("root"))));
            ManagedChannel channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build();
            try {
                AuthGrpc.newBlockingStub(channel).withDeadlineAfter(JetcdTranscript.WAIT_SECONDS, TimeUnit.SECONDS)
                        .authenticate(AuthenticateRequest.newBuilder().setName("alice").setPassword("pw").build());
                t.add("authenticate while auth is off: ok");
            } catch (StatusRuntimeException e) {
                t.add("authenticate while auth is off: " + e.getStatus().getCode() + " " + e.getStatus().getDescription());
            } finally {
                channel.shutdownNow();
            }
            try (Client withPassword = Client.builder().endpoints("http://" + endpoint)
                    .user(bs("alice")).password(bs("pw")).build()) {
                t.add("a client with a password while auth is off: " + t.failure(() -> withPassword.getKVClient().get(bs("k"))));
            }
            try (Client withToken = Client.builder().endpoints("http://" + endpoint).header("token", "bogus").build()) {
                t.add("a client with a made-up token while auth is off: " + t.failure(() -> withToken.getKVClient().get(bs("k"))));
            }
        }

        private static Txn puts(Txn txn, int count) {
            return txn.Then(ops(count));
        }

        private static Op[] ops(int count) {
            Op[] ops = new Op[count];
            Arrays.setAll(ops, i -> Op.put(bs("op/" + i), bs("v"), PutOption.DEFAULT));
            return ops;
        }

        private static ByteSequence value(int bytes) {
            byte[] b = new byte[bytes];
            Arrays.fill(b, (byte) 'x');
            return ByteSequence.from(b);
        }

        private static int unusedPort() throws IOException {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                return s.getLocalPort();
            }
        }
    }
}
