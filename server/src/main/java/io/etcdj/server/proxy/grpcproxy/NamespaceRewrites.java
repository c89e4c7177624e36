package io.etcdj.server.proxy.grpcproxy;

import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.v3electionpb.CampaignRequest;
import io.etcdj.api.v3electionpb.CampaignResponse;
import io.etcdj.api.v3electionpb.ElectionGrpc;
import io.etcdj.api.v3electionpb.LeaderKey;
import io.etcdj.api.v3electionpb.LeaderRequest;
import io.etcdj.api.v3electionpb.LeaderResponse;
import io.etcdj.api.v3electionpb.ProclaimRequest;
import io.etcdj.api.v3electionpb.ResignRequest;
import io.etcdj.api.v3lockpb.LockGrpc;
import io.etcdj.api.v3lockpb.LockRequest;
import io.etcdj.api.v3lockpb.LockResponse;
import io.etcdj.api.v3lockpb.UnlockRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Which messages of which forwarded methods carry keys, and how {@link KeyNamespace} rewrites
 * them: requests on the way up, responses on the way down. A method not listed here carries no
 * key (membership, maintenance, auth, lease grant/revoke/keep-alive) and passes unchanged. Watch is
 * not listed: the proxy's own watch service applies the namespace itself.
 */
final class NamespaceRewrites {
    private final Map<String, UnaryOperator<Object>> up = new HashMap<>();
    private final Map<String, UnaryOperator<Object>> down = new HashMap<>();

    NamespaceRewrites(KeyNamespace ns) {
        if (ns.isEmpty()) {
            return;
        }
        both(KVGrpc.getRangeMethod().getFullMethodName(), q -> ns.range((RangeRequest) q), a -> ns.range((RangeResponse) a));
        both(KVGrpc.getPutMethod().getFullMethodName(), q -> ns.put((PutRequest) q), a -> ns.put((PutResponse) a));
        both(KVGrpc.getDeleteRangeMethod().getFullMethodName(), q -> ns.delete((DeleteRangeRequest) q),
                a -> ns.delete((DeleteRangeResponse) a));
        both(KVGrpc.getTxnMethod().getFullMethodName(), q -> ns.txn((TxnRequest) q), a -> ns.txn((TxnResponse) a));
        down.put(LeaseGrpc.getLeaseTimeToLiveMethod().getFullMethodName(), a -> {
            LeaseTimeToLiveResponse r = (LeaseTimeToLiveResponse) a;
            LeaseTimeToLiveResponse.Builder b = r.toBuilder().clearKeys();
            r.getKeysList().forEach(k -> b.addKeys(ns.strip(k)));
            return b.build();
        });
        both(LockGrpc.getLockMethod().getFullMethodName(),
                q -> ((LockRequest) q).toBuilder().setName(ns.key(((LockRequest) q).getName())).build(),
                a -> ((LockResponse) a).toBuilder().setKey(ns.strip(((LockResponse) a).getKey())).build());
        up.put(LockGrpc.getUnlockMethod().getFullMethodName(),
                q -> ((UnlockRequest) q).toBuilder().setKey(ns.key(((UnlockRequest) q).getKey())).build());
        both(ElectionGrpc.getCampaignMethod().getFullMethodName(),
                q -> ((CampaignRequest) q).toBuilder().setName(ns.key(((CampaignRequest) q).getName())).build(),
                a -> {
                    CampaignResponse r = (CampaignResponse) a;
                    return r.hasLeader() ? r.toBuilder().setLeader(stripped(ns, r.getLeader())).build() : r;
                });
        up.put(ElectionGrpc.getProclaimMethod().getFullMethodName(), q -> {
            ProclaimRequest r = (ProclaimRequest) q;
            return r.toBuilder().setLeader(prefixed(ns, r.getLeader())).build();
        });
        up.put(ElectionGrpc.getResignMethod().getFullMethodName(), q -> {
            ResignRequest r = (ResignRequest) q;
            return r.toBuilder().setLeader(prefixed(ns, r.getLeader())).build();
        });
        UnaryOperator<Object> leaderName = q -> ((LeaderRequest) q).toBuilder().setName(ns.key(((LeaderRequest) q).getName())).build();
        UnaryOperator<Object> leaderKv = a -> {
            LeaderResponse r = (LeaderResponse) a;
            return r.hasKv() ? r.toBuilder().setKv(ns.strip(r.getKv())).build() : r;
        };
        both(ElectionGrpc.getLeaderMethod().getFullMethodName(), leaderName, leaderKv);
        both(ElectionGrpc.getObserveMethod().getFullMethodName(), leaderName, leaderKv);
    }

    private static LeaderKey prefixed(KeyNamespace ns, LeaderKey k) {
        return k.toBuilder().setName(ns.key(k.getName())).setKey(ns.key(k.getKey())).build();
    }

    private static LeaderKey stripped(KeyNamespace ns, LeaderKey k) {
        return k.toBuilder().setName(ns.strip(k.getName())).setKey(ns.strip(k.getKey())).build();
    }

    private void both(String method, UnaryOperator<Object> q, UnaryOperator<Object> a) {
        up.put(method, q);
        down.put(method, a);
    }

    /** The request rewrite of {@code fullMethodName} (the identity if it carries no key). */
    @SuppressWarnings("unchecked")
    <Q> UnaryOperator<Q> up(String fullMethodName) {
        return (UnaryOperator<Q>) up.getOrDefault(fullMethodName, UnaryOperator.identity());
    }

    @SuppressWarnings("unchecked")
    <A> UnaryOperator<A> down(String fullMethodName) {
        return (UnaryOperator<A>) down.getOrDefault(fullMethodName, UnaryOperator.identity());
    }
}
