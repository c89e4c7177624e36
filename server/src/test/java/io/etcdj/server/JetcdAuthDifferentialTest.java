package io.etcdj.server;

import static io.etcdj.server.JetcdTranscript.await;
import static io.etcdj.server.JetcdTranscript.bs;
import static io.etcdj.server.JetcdTranscript.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.auth.Permission;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.OptionsUtil;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcdj.api.etcdserverpb.AuthGrpc;
import io.etcdj.api.etcdserverpb.AuthenticateRequest;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.server.auth.AuthSettings;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auth through jetcd against our member and the reference etcd 3.4 (both with --bcrypt-cost 4 and
 * --auth-token-ttl 2): users, roles and grants on a prefix, a range and a single key; auth enabled
 * with root; clients with a user and password doing what they may and what they may not (KV, txn,
 * watch, lease revoke, admin RPCs); wrong passwords and unknown users; a password change; an idle
 * simple token expiring; the root role's guards; auth disabled again.
 */
class JetcdAuthDifferentialTest {
    private static final int TOKEN_TTL_SECONDS = 2;

    @TempDir
    Path dir;

    @Test
    void jetcdClientsWithUsersAreAnsweredByOurMemberAsByEtcd() throws Exception {
        List<String> reference = JetcdSideBySide.assertSameTranscript(dir, endpoint -> new Scenario(endpoint).run(),
                new String[] {"--bcrypt-cost=4", "--auth-token-ttl=" + TOKEN_TTL_SECONDS},
                s -> s.withAuth(new AuthSettings(4, Duration.ofSeconds(TOKEN_TTL_SECONDS))));
        assertThat(reference).hasSizeGreaterThan(40);
    }

    private static final class Scenario {
        private final String endpoint;
        private final JetcdTranscript t = new JetcdTranscript();

        Scenario(String endpoint) {
            this.endpoint = endpoint;
        }

        List<String> run() throws Exception {
            try (Client anonymous = client(null, null)) {
                t.base(await(anonymous.getKVClient().get(bs("any"))).getHeader().getRevision());
                usersAndRoles(anonymous.getAuthClient());
                await(anonymous.getKVClient().put(bs("cfg"), bs("c0")));
                t.add("enable auth: " + t.failure(() -> anonymous.getAuthClient().authEnable()));
                t.add("anonymous get: " + t.failure(() -> anonymous.getKVClient().get(bs("cfg"))));
                t.add("anonymous put: " + t.failure(() -> anonymous.getKVClient().put(bs("app/x"), bs("1"))));
            }
            try (Client root = client("root", "rootpw"); Client alice = client("alice", "alicepw");
                 Client bob = client("bob", "bobpw")) {
                asRoot(root);
                asAlice(alice);
                asBob(bob, alice);
                refusedCredentials();
                passwordChange(root, alice);
                tokenExpiry(root);
                rootGuards(root.getAuthClient());
                t.add("alice disables auth: " + t.failure(() -> alice.getAuthClient().authDisable()));
                t.add("root disables auth: " + t.failure(() -> root.getAuthClient().authDisable()));
            }
            try (Client anonymous = client(null, null); Client wrong = client("alice", "wrong")) {
                t.add("after disabling, anonymous put: " + t.failure(() -> anonymous.getKVClient().put(bs("cfg"), bs("free"))));
                t.add("after disabling, a wrong password: " + t.failure(() -> wrong.getKVClient().get(bs("cfg"))));
                t.add("users still there: " + await(anonymous.getAuthClient().userList()).getUsers());
            }
            return t.lines();
        }

        private void usersAndRoles(Auth auth) throws Exception {
            for (String[] user : new String[][] {{"root", "rootpw"}, {"alice", "alicepw"}, {"bob", "bobpw"}}) {
                await(auth.userAdd(bs(user[0]), bs(user[1])));
            }
            for (String role : List.of("root", "app", "ranger")) {
                await(auth.roleAdd(bs(role)));
            }
            ByteSequence app = bs("app/");
            await(auth.roleGrantPermission(bs("app"), app, OptionsUtil.prefixEndOf(app), Permission.Type.READWRITE));
            await(auth.roleGrantPermission(bs("app"), bs("cfg"), ByteSequence.EMPTY, Permission.Type.READ));
            await(auth.roleGrantPermission(bs("ranger"), bs("r/a"), bs("r/m"), Permission.Type.WRITE));
            await(auth.userGrantRole(bs("root"), bs("root")));
            await(auth.userGrantRole(bs("alice"), bs("app")));
            await(auth.userGrantRole(bs("bob"), bs("ranger")));
            await(auth.userGrantRole(bs("bob"), bs("app")));
            t.add("users: " + await(auth.userList()).getUsers() + ", roles: " + await(auth.roleList()).getRoles());
            t.add("bob's roles: " + await(auth.userGet(bs("bob"))).getRoles());
            for (String role : List.of("root", "app", "ranger")) {
                t.add("role " + role + ": " + await(auth.roleGet(bs(role))).getPermissions().stream()
                        .map(p -> p.getPermType() + " [" + text(p.getKey()) + ", " + text(p.getRangeEnd()) + ")").toList());
            }
            t.add("revoke bob's app role: " + t.failure(() -> auth.userRevokeRole(bs("bob"), bs("app"))));
            t.add("grant app a READ on the whole keyspace, then revoke it: "
                    + t.failure(() -> auth.roleGrantPermission(bs("app"), bs("\0"), bs("\0"), Permission.Type.READ)) + ", "
                    + t.failure(() -> auth.roleRevokePermission(bs("app"), bs("\0"), bs("\0"))));
        }

        private void asRoot(Client root) throws Exception {
            t.add("root puts app/x: " + t.failure(() -> root.getKVClient().put(bs("app/x"), bs("1"))));
            t.add("root puts secret: " + t.failure(() -> root.getKVClient().put(bs("secret"), bs("s"))));
            t.add("root reads everything: " + t.kvs(await(root.getKVClient().get(bs("\0"),
                    GetOption.builder().withRange(bs("\0")).build())).getKvs()));
            t.add("root lists members: " + t.failure(() -> root.getClusterClient().listMember()));
            t.add("root asks the status: " + t.failure(() -> root.getMaintenanceClient().statusMember("http://" + endpoint)));
        }

        private void asAlice(Client alice) throws Exception {
            t.add("alice gets app/x: " + t.failure(() -> alice.getKVClient().get(bs("app/x"))));
            t.add("alice puts app/y: " + t.failure(() -> alice.getKVClient().put(bs("app/y"), bs("2"))));
            t.add("alice gets the app/ prefix: " + t.kvs(await(alice.getKVClient().get(bs("app/"),
                    GetOption.builder().isPrefix(true).build())).getKvs()));
            t.add("alice gets cfg: " + t.failure(() -> alice.getKVClient().get(bs("cfg"))));
            t.add("alice puts cfg: " + t.failure(() -> alice.getKVClient().put(bs("cfg"), bs("c1"))));
            t.add("alice gets secret: " + t.failure(() -> alice.getKVClient().get(bs("secret"))));
            t.add("alice gets everything: " + t.failure(() -> alice.getKVClient().get(bs("\0"),
                    GetOption.builder().withRange(bs("\0")).build())));
            t.add("alice gets [app/, cfg]: " + t.failure(() -> alice.getKVClient().get(bs("app/"),
                    GetOption.builder().withRange(bs("cfg\0")).build())));
            t.add("alice's txn reading cfg, writing app/t: " + t.failure(() -> alice.getKVClient().txn()
                    .Then(Op.get(bs("cfg"), GetOption.DEFAULT), Op.put(bs("app/t"), bs("t"), PutOption.DEFAULT)).commit()));
            t.add("alice's txn writing cfg: " + t.failure(() -> alice.getKVClient().txn()
                    .Then(Op.put(bs("app/t"), bs("t"), PutOption.DEFAULT), Op.put(bs("cfg"), bs("t"), PutOption.DEFAULT)).commit()));
            t.add("alice's txn comparing secret: " + t.failure(() -> alice.getKVClient().txn()
                    .If(new Cmp(bs("secret"), Cmp.Op.EQUAL,
                            CmpTarget.version(1))).commit()));
            t.add("alice deletes the app/ prefix: " + t.failure(() -> alice.getKVClient().delete(bs("app/"),
                    DeleteOption.builder().isPrefix(true).build())));
            t.add("alice lists users: " + t.failure(() -> alice.getAuthClient().userList()));
            t.add("alice adds a user: " + t.failure(() -> alice.getAuthClient().userAdd(bs("eve"), bs("x"))));
            t.add("alice lists members: " + t.failure(() -> alice.getClusterClient().listMember()));
            t.add("alice removes a member: " + t.failure(() -> alice.getClusterClient().removeMember(0xabcdefL)));
            var maintenance = alice.getMaintenanceClient();
            t.add("alice asks the status: " + t.failure(() -> maintenance.statusMember("http://" + endpoint)));
            t.add("alice lists alarms: " + t.failure(maintenance::listAlarms));
            t.add("alice asks hashkv: " + t.failure(() -> maintenance.hashKV("http://" + endpoint, 0)));
            t.add("alice defragments: " + t.failure(() -> maintenance.defragmentMember("http://" + endpoint)));
            t.add("alice moves the leadership: " + t.failure(() -> maintenance.moveLeader(0x1234L)));
            t.add("alice takes a snapshot: " + t.failure(() -> maintenance.snapshot(OutputStream.nullOutputStream())));
            t.add("alice compacts: " + t.failure(() -> alice.getKVClient().compact(1)));

            BlockingQueue<String> seen = new LinkedBlockingQueue<>();
            Watch.Listener listener = Watch.listener(r -> seen.add("events " + r.getEvents().size()),
                    e -> seen.add("error " + t.error(e)));
            try (Watch.Watcher w = alice.getWatchClient().watch(bs("secret"), WatchOption.DEFAULT, listener)) {
                t.add("alice watches secret: " + seen.poll(JetcdTranscript.WAIT_SECONDS, TimeUnit.SECONDS));
            }
            seen.clear();
            try (Watch.Watcher w = alice.getWatchClient().watch(bs("cfg"), WatchOption.builder().withRevision(1).build(), listener)) {
                t.add("alice watches cfg from revision 1: " + seen.poll(JetcdTranscript.WAIT_SECONDS, TimeUnit.SECONDS));
            }
        }

        private void asBob(Client bob, Client alice) throws Exception {
            t.add("bob puts r/b: " + t.failure(() -> bob.getKVClient().put(bs("r/b"), bs("b"))));
            t.add("bob puts r/z: " + t.failure(() -> bob.getKVClient().put(bs("r/z"), bs("z"))));
            t.add("bob gets r/b: " + t.failure(() -> bob.getKVClient().get(bs("r/b"))));
            t.add("bob deletes [r/a, r/m): " + t.failure(() -> bob.getKVClient().delete(bs("r/a"),
                    DeleteOption.builder().withRange(bs("r/m")).build())));
            long bobs = await(bob.getLeaseClient().grant(60)).getID();
            t.nameLease(bobs, "bob's");
            long alices = await(alice.getLeaseClient().grant(60)).getID();
            t.nameLease(alices, "alice's");
            await(bob.getKVClient().put(bs("r/leased"), bs("l"), PutOption.builder().withLeaseId(bobs).build()));
            await(alice.getKVClient().put(bs("app/leased"), bs("l"), PutOption.builder().withLeaseId(alices).build()));
            t.add("alice revokes bob's lease (r/leased on it): " + t.failure(() -> alice.getLeaseClient().revoke(bobs)));
            t.add("bob revokes alice's lease (app/leased on it): " + t.failure(() -> bob.getLeaseClient().revoke(alices)));
            t.add("alice revokes hers: " + t.failure(() -> alice.getLeaseClient().revoke(alices)));
            t.add("bob revokes his: " + t.failure(() -> bob.getLeaseClient().revoke(bobs)));
            t.add("bob asks a lease's time-to-live: " + t.failure(() -> bob.getLeaseClient().timeToLive(bobs,
                    LeaseOption.DEFAULT)));
        }

        private void refusedCredentials() throws Exception {
            try (Client wrong = client("alice", "wrong"); Client nobody = client("nobody", "pw")) {
                t.add("alice with a wrong password: " + t.failure(() -> wrong.getKVClient().get(bs("app/x"))));
                t.add("an unknown user: " + t.failure(() -> nobody.getKVClient().get(bs("app/x"))));
            }
            ManagedChannel channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build();
            try {
                t.add("a made-up token: " + rangeWithToken(channel, "made.up"));
                t.add("authenticate with an empty name: " + authenticate(channel, "", "x"));
                t.add("authenticate alice with a wrong password: " + authenticate(channel, "alice", "wrong"));
                t.add("authenticate an unknown user: " + authenticate(channel, "nobody", "pw"));
            } finally {
                channel.shutdownNow();
            }
        }

        private void passwordChange(Client root, Client alice) throws Exception {
            t.add("root changes alice's password: " + t.failure(() -> root.getAuthClient()
                    .userChangePassword(bs("alice"), bs("newpw"))));
            t.add("alice's client, authenticated before: " + t.failure(() -> alice.getKVClient().get(bs("app/x"))));
            try (Client old = client("alice", "alicepw"); Client renewed = client("alice", "newpw")) {
                t.add("a client with the old password: " + t.failure(() -> old.getKVClient().get(bs("app/x"))));
                t.add("a client with the new password: " + t.failure(() -> renewed.getKVClient().get(bs("app/x"))));
            }
        }

        /**
         * A simple token lives --auth-token-ttl seconds past its last use. Nothing can be polled
         * without using (and so renewing) it: the test lets the TTL and etcd's one-second check
         * interval pass, then uses it once.
         */
        private void tokenExpiry(Client root) throws Exception {
            ManagedChannel channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build();
            try {
                String token = AuthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .authenticate(AuthenticateRequest.newBuilder().setName("root").setPassword("rootpw").build()).getToken();
                t.add("a fresh token: " + rangeWithToken(channel, token));
                long idleUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TOKEN_TTL_SECONDS * 1000L + 2500);
                while (System.nanoTime() < idleUntil) {
                    LockSupport.parkNanos(idleUntil - System.nanoTime());
                }
                t.add("the token after " + TOKEN_TTL_SECONDS + " s idle and more: " + rangeWithToken(channel, token));
                t.add("jetcd's root client after as long idle (it authenticates again): "
                        + t.failure(() -> root.getKVClient().get(bs("cfg"))));
            } finally {
                channel.shutdownNow();
            }
        }

        private void rootGuards(Auth auth) {
            t.add("revoke root's root role: " + t.failure(() -> auth.userRevokeRole(bs("root"), bs("root"))));
            t.add("delete the root role: " + t.failure(() -> auth.roleDelete(bs("root"))));
            t.add("delete the root user: " + t.failure(() -> auth.userDelete(bs("root"))));
            t.add("enable auth again: " + t.failure(auth::authEnable));
            t.add("grant the root role a permission: " + t.failure(() -> auth.roleGrantPermission(bs("root"),
                    bs("k"), ByteSequence.EMPTY, Permission.Type.READ)));
            t.add("delete the app role (alice and bob lose it): " + t.failure(() -> auth.roleDelete(bs("app"))));
        }

        private String rangeWithToken(ManagedChannel channel, String token) {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER), token);
            try {
                KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                        .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("cfg")).build());
                return "ok";
            } catch (StatusRuntimeException e) {
                return e.getStatus().getCode() + " " + e.getStatus().getDescription();
            }
        }

        private static String authenticate(ManagedChannel channel, String name, String password) {
            try {
                AuthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .authenticate(AuthenticateRequest.newBuilder().setName(name).setPassword(password).build());
                return "ok";
            } catch (StatusRuntimeException e) {
                return e.getStatus().getCode() + " " + e.getStatus().getDescription();
            }
        }

        private Client client(String user, String password) {
            var b = Client.builder().endpoints("http://" + endpoint);
            if (user != null) {
                b.user(bs(user)).password(bs(password));
            }
            return b.build();
        }
    }
}
