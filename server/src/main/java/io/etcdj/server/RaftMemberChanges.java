package io.etcdj.server;

import io.etcdj.api.etcdserverpb.MemberAddRequest;
import io.etcdj.api.etcdserverpb.MemberAddResponse;
import io.etcdj.api.etcdserverpb.MemberPromoteRequest;
import io.etcdj.api.etcdserverpb.MemberPromoteResponse;
import io.etcdj.api.etcdserverpb.MemberRemoveRequest;
import io.etcdj.api.etcdserverpb.MemberRemoveResponse;
import io.etcdj.api.etcdserverpb.MemberUpdateRequest;
import io.etcdj.api.etcdserverpb.MemberUpdateResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.raft.pb.ConfChangeType;
import io.etcdj.server.config.MemberIds;
import io.etcdj.server.membership.Member;
import io.etcdj.server.membership.MembershipChangeRules;
import io.etcdj.server.membership.Membership;
import io.etcdj.server.membership.ReconfigurationCheck;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Cluster service's changes (MemberAdd, MemberRemove, MemberUpdate, MemberPromote) on a raft
 * member: each is checked as etcd checks it — URLs, the membership's rules, --strict-reconfig-check,
 * a promoted learner in sync with the leader — and then proposed as a conf change carrying the
 * member's record; the answer lists the members as the applier left them.
 */
final class RaftMemberChanges {
    /** Proposes a conf change for {@code member}; completes with the members once it is applied. */
    interface ConfChangeProposer {
        CompletableFuture<List<Member>> propose(ConfChangeType type, Member member);
    }

    private final Membership membership;
    private final ReconfigurationCheck reconfigurationCheck;
    private final LearnerReadiness learnerReadiness;
    private final long requestTimeoutMillis;
    private final ConfChangeProposer proposer;
    private final Supplier<ResponseHeader> clusterHeader;
    private final ErrorGuard guard;

    RaftMemberChanges(Membership membership, ReconfigurationCheck reconfigurationCheck,
                      LearnerReadiness learnerReadiness, long requestTimeoutMillis, ConfChangeProposer proposer,
                      Supplier<ResponseHeader> clusterHeader, ErrorGuard guard) {
        this.membership = membership;
        this.reconfigurationCheck = reconfigurationCheck;
        this.learnerReadiness = learnerReadiness;
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.proposer = proposer;
        this.clusterHeader = clusterHeader;
        this.guard = guard;
    }

    CompletableFuture<MemberAddResponse> add(MemberAddRequest request) {
        if (!validUrls(request.getPeerURLsList())) {
            return failed(EtcdError.MEMBER_BAD_URLS);
        }
        EtcdError refused = reconfigurationCheck.mayAdd(request.getIsLearner());
        if (refused != null) {
            return failed(refused);
        }
        long newId = MemberIds.memberId(request.getPeerURLsList(), "", Instant.now());
        Member added = new Member(newId, "", request.getPeerURLsList(), List.of(), request.getIsLearner());
        refused = MembershipChangeRules.mayAdd(membership, added);
        if (refused != null) {
            return failed(refused);
        }
        ConfChangeType type = request.getIsLearner() ? ConfChangeType.ConfChangeAddLearnerNode
                : ConfChangeType.ConfChangeAddNode;
        return proposer.propose(type, added).thenApply(members -> MemberAddResponse.newBuilder()
                .setHeader(clusterHeader.get()).setMember(added.toApi())
                .addAllMembers(Member.toApi(members)).build());
    }

    CompletableFuture<MemberRemoveResponse> remove(MemberRemoveRequest request) {
        // etcd checks the quorum rule first: an unknown ID is refused as unsafe before it is "not found"
        EtcdError refused = reconfigurationCheck.mayRemove(request.getID());
        if (refused != null) {
            return failed(refused);
        }
        return withExistingMember(request.getID(), m -> proposer.propose(ConfChangeType.ConfChangeRemoveNode, m)
                .thenApply(members -> MemberRemoveResponse.newBuilder().setHeader(clusterHeader.get())
                        .addAllMembers(Member.toApi(members)).build()));
    }

    CompletableFuture<MemberUpdateResponse> update(MemberUpdateRequest request) {
        return withExistingMember(request.getID(), m -> {
            if (!validUrls(request.getPeerURLsList())) {
                return failed(EtcdError.MEMBER_BAD_URLS);
            }
            EtcdError refused = MembershipChangeRules.mayUpdate(membership, m.id(), request.getPeerURLsList());
            if (refused != null) {
                return failed(refused);
            }
            Member updated = new Member(m.id(), m.name(), request.getPeerURLsList(), m.clientUrls(), m.learner());
            return proposer.propose(ConfChangeType.ConfChangeUpdateNode, updated).thenApply(members ->
                    MemberUpdateResponse.newBuilder().setHeader(clusterHeader.get())
                            .addAllMembers(Member.toApi(members)).build());
        });
    }

    CompletableFuture<MemberPromoteResponse> promote(MemberPromoteRequest request) {
        return withExistingMember(request.getID(), m -> {
            if (!m.learner()) {
                return failed(EtcdError.MEMBER_NOT_LEARNER);
            }
            // etcd: the learner must be in sync with the leader (asked of the leader), then the quorum rule
            return guard.guard(learnerReadiness.check(m.id(), requestTimeoutMillis).thenCompose(ready -> {
                EtcdError refused = reconfigurationCheck.mayPromote(m.id());
                return refused != null ? RaftMemberChanges.<List<Member>>failed(refused)
                        : proposer.propose(ConfChangeType.ConfChangeAddNode, m.promoted());
            }).thenApply(members -> MemberPromoteResponse.newBuilder().setHeader(clusterHeader.get())
                    .addAllMembers(Member.toApi(members)).build()));
        });
    }

    /** {@code change} of the member {@code id} names; etcd's "member not found" when none does. */
    private <T> CompletableFuture<T> withExistingMember(long id, Function<Member, CompletableFuture<T>> change) {
        Member m = membership.member(id);
        return m == null ? failed(EtcdError.MEMBER_NOT_FOUND) : change.apply(m);
    }

    private static <T> CompletableFuture<T> failed(EtcdError refusal) {
        return CompletableFuture.failedFuture(refusal.exception());
    }

    /** At least one peer URL, and each one etcd takes. */
    private static boolean validUrls(List<String> urls) {
        return !urls.isEmpty() && urls.stream().allMatch(RaftMemberChanges::validUrl);
    }

    /** A peer URL etcd takes: http, https, unix or unixs, with a host and a port. */
    private static boolean validUrl(String url) {
        try {
            URI u = new URI(url);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme()) || "unix".equals(u.getScheme())
                    || "unixs".equals(u.getScheme())) && u.getHost() != null && u.getPort() > 0;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
