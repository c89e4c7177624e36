package io.etcdj.server.transport;

import io.etcdj.api.etcdserverpb.HashKVResponse;
import io.etcdj.mvcc.lease.Lessor;
import io.etcdj.server.membership.Member;
import io.etcdj.server.membership.Membership;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What the peer port's HTTP/1.1 answers ask of the member; each call is made per request. */
public interface PeerHttpMember {
    long id();

    /** The current membership; null while the member is still bootstrapping. */
    Membership membership();

    /** The JSON the client port's {@code /version} serves. */
    String versionJson();

    Lessor lessor();

    /** HashKV at {@code revision} (0: the current one); fails with the mvcc error's text. */
    CompletableFuture<HashKVResponse> hashKv(long revision);

    /** Promotes learner {@code memberId}; the members after it, or a failed future with an EtcdException. */
    CompletableFuture<List<Member>> promote(long memberId);
}
