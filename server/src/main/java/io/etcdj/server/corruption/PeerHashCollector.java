package io.etcdj.server.corruption;

import io.etcdj.api.etcdserverpb.HashKVRequest;
import io.etcdj.api.etcdserverpb.HashKVResponse;
import io.etcdj.server.transport.PeerMethods;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every peer at once for its HashKV at a revision over the peer port ({@link PeerMethods#HASH_KV}),
 * each within the request timeout, and returns one {@link PeerHash} per peer (etcd's getPeerHashKVs).
 */
public final class PeerHashCollector {
    private static final Logger log = LoggerFactory.getLogger(PeerHashCollector.class);

    private final long selfId;
    private final Supplier<Map<Long, Channel>> peerChannels;
    private final Function<Long, List<String>> peerUrls;
    private final Duration timeout;

    /**
     * @param peerChannels the peer port of every other member, by member ID
     * @param peerUrls a member's peer URLs (for the log)
     */
    public PeerHashCollector(long selfId, Supplier<Map<Long, Channel>> peerChannels,
                             Function<Long, List<String>> peerUrls, Duration timeout) {
        this.selfId = selfId;
        this.peerChannels = peerChannels;
        this.peerUrls = peerUrls;
        this.timeout = timeout;
    }

    public List<PeerHash> at(long revision) {
        HashKVRequest request = HashKVRequest.newBuilder().setRevision(revision).build();
        Map<Long, Future<HashKVResponse>> asked = new LinkedHashMap<>();
        for (Map.Entry<Long, Channel> peer : peerChannels.get().entrySet()) {
            if (peer.getKey() != selfId) {
                asked.put(peer.getKey(), ClientCalls.futureUnaryCall(peer.getValue().newCall(PeerMethods.HASH_KV,
                        CallOptions.DEFAULT.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)), request));
            }
        }
        List<PeerHash> answers = new ArrayList<>();
        for (Map.Entry<Long, Future<HashKVResponse>> a : asked.entrySet()) {
            long id = a.getKey();
            List<String> urls = peerUrls.apply(id);
            try {
                // every call carries its own deadline; the extra second only guards against a lost answer
                answers.add(PeerHash.answered(id, urls, a.getValue().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)));
            } catch (ExecutionException | TimeoutException e) {
                String error = e instanceof ExecutionException ? describe(e.getCause()) : "context deadline exceeded";
                log.atWarn().setMessage("failed hash kv request").addKeyValue("local-member-id", Long.toHexString(selfId))
                        .addKeyValue("requested-revision", revision).addKeyValue("remote-peer-endpoint",
                                urls.isEmpty() ? "" : urls.get(0)).addKeyValue("error", error).log();
                answers.add(PeerHash.failed(id, urls, error));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answers.add(PeerHash.failed(id, urls, "interrupted"));
            }
        }
        return answers;
    }

    /** The error text a peer answered with (etcd's, for mvcc errors), or the transport's failure. */
    private static String describe(Throwable t) {
        Status s = Status.fromThrowable(t);
        return s.getDescription() != null ? s.getDescription() : s.getCode().toString();
    }
}
