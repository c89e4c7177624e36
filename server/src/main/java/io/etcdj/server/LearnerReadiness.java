package io.etcdj.server;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.etcdj.raft.PeerProgress;
import io.etcdj.raft.Status;
import io.etcdj.server.pb.LearnerAnswer;
import io.etcdj.server.pb.LearnerQuery;
import io.etcdj.server.raft.RaftLoop;
import io.etcdj.server.transport.PeerMethods;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.stub.ClientCalls;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * etcd promotes a learner only once it is in sync with the leader: its matched index at least 90%
 * of the leader's. Only the leader knows the learner's progress, so a member that is not the leader
 * asks the leader over the peer port ({@link PeerMethods#LEARNER}) before proposing the promotion.
 */
final class LearnerReadiness {
    /** etcd's readyPercent. */
    private static final double READY_SHARE = 0.9;

    private final long selfId;
    private final RaftLoop loop;
    private final Supplier<Map<Long, Channel>> peerChannels;

    LearnerReadiness(long selfId, RaftLoop loop, Supplier<Map<Long, Channel>> peerChannels) {
        this.selfId = selfId;
        this.loop = loop;
        this.peerChannels = peerChannels;
    }

    /** This member's answer: whether it leads, and whether the learner has caught up. */
    CompletableFuture<LearnerAnswer> answer(long learnerId) {
        return loop.call(n -> {
            Status st = n.status();
            PeerProgress self = st.progress().get(selfId);
            if (st.progress().isEmpty() || self == null) {
                return LearnerAnswer.getDefaultInstance();
            }
            PeerProgress learner = st.progress().get(learnerId);
            boolean ready = learner == null || learner.match() >= self.match() * READY_SHARE;
            return LearnerAnswer.newBuilder().setLeader(true).setReady(ready).build();
        });
    }

    /**
     * Completes when learner {@code learnerId} may be promoted; fails with etcd's "can only promote a
     * learner member which is in sync with leader", or with a timeout when the leader cannot be asked.
     */
    CompletableFuture<Void> check(long learnerId, long timeoutMillis) {
        long leader = loop.view().leader();
        CompletableFuture<LearnerAnswer> answer;
        if (leader == selfId) {
            answer = answer(learnerId);
        } else {
            Channel channel = peerChannels.get().get(leader);
            if (leader == 0 || channel == null) {
                return CompletableFuture.failedFuture(EtcdError.TIMEOUT.exception());
            }
            answer = new CompletableFuture<>();
            CompletableFuture<LearnerAnswer> asked = answer;
            Futures.addCallback(ClientCalls.futureUnaryCall(
                    channel.newCall(PeerMethods.LEARNER, CallOptions.DEFAULT.withDeadlineAfter(timeoutMillis,
                            TimeUnit.MILLISECONDS)), LearnerQuery.newBuilder().setLearnerId(learnerId).build()),
                    new FutureCallback<>() {
                        @Override
                        public void onSuccess(LearnerAnswer a) {
                            asked.complete(a);
                        }

                        @Override
                        public void onFailure(Throwable t) {
                            asked.completeExceptionally(EtcdError.TIMEOUT.exception());
                        }
                    }, MoreExecutors.directExecutor());
        }
        return answer.thenCompose(a -> !a.getLeader() ? CompletableFuture.<Void>failedFuture(EtcdError.TIMEOUT.exception())
                : a.getReady() ? CompletableFuture.<Void>completedFuture(null)
                : CompletableFuture.<Void>failedFuture(EtcdError.LEARNER_NOT_READY.exception()));
    }
}
