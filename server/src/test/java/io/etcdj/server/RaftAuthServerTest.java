package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.authpb.UserAddOptions;
import io.etcdj.api.etcdserverpb.AuthUserAddRequest;
import io.etcdj.api.etcdserverpb.AuthUserAddResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.server.auth.AuthStore;
import io.etcdj.server.auth.Caller;
import io.etcdj.server.auth.PasswordHasher;
import io.etcdj.server.auth.SimpleTokens;
import io.etcdj.server.pb.InternalRaftRequest;
import io.etcdj.server.storage.MvccServerBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a member does with an auth change before it proposes it. */
class RaftAuthServerTest {
    @TempDir
    Path dir;

    @Test
    void aUserWithoutNameIsProposedUnhashedAsEtcdRefusesItBeforeHashing() throws Exception {
        AtomicInteger hashes = new AtomicInteger();
        Executor work = task -> {
            hashes.incrementAndGet();
            task.run();
        };
        List<InternalRaftRequest> proposed = new ArrayList<>();
        RaftAuthServer.Proposer proposer = new RaftAuthServer.Proposer() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> CompletableFuture<T> propose(InternalRaftRequest.Builder request) {
                proposed.add(request.build());
                return CompletableFuture.completedFuture((T) AuthUserAddResponse.getDefaultInstance());
            }
        };
        try (MvccServerBackend backend = MvccServerBackend.open(dir.resolve("db"))) {
            RaftAuthServer auth = new RaftAuthServer(new AuthStore(backend, new SimpleTokens(Duration.ofMinutes(5),
                    System::nanoTime)), new PasswordHasher(PasswordHasher.MIN_COST), proposer,
                    () -> CompletableFuture.completedFuture(null), ResponseHeader::getDefaultInstance, h -> h, work,
                    RaftAuthServerTest::unchanged);

            auth.userAdd(AuthUserAddRequest.newBuilder().setName("").setPassword("secret").build(), Caller.ANONYMOUS).get();
            auth.userAdd(AuthUserAddRequest.newBuilder().setName("nopass")
                    .setOptions(UserAddOptions.newBuilder().setNoPassword(true)).build(), Caller.ANONYMOUS).get();
            assertThat(hashes).hasValue(0);
            auth.userAdd(AuthUserAddRequest.newBuilder().setName("u").setPassword("secret").build(), Caller.ANONYMOUS).get();
            assertThat(hashes).hasValue(1);
        }
        assertThat(proposed).extracting(r -> r.getAuthUserAdd().getName()).containsExactly("", "nopass", "u");
        assertThat(proposed).allSatisfy(r -> assertThat(r.getAuthUserAdd().getPassword()).isEmpty());
        assertThat(proposed.get(0).getAuthUserAdd().getHashedPassword()).isEmpty();
        assertThat(proposed.get(2).getAuthUserAdd().getHashedPassword()).startsWith("$2a$04$");
    }

    private static <T> CompletableFuture<T> unchanged(CompletableFuture<T> f) {
        return f;
    }
}
