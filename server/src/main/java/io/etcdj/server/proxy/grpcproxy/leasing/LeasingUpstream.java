package io.etcdj.server.proxy.grpcproxy.leasing;

import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.grpc.stub.StreamObserver;

/**
 * The cluster as the leasing KV calls it, in the proxy client's key space (the proxy's namespace,
 * if any, is applied underneath). Blocking calls made while serving a client carry that client's
 * credentials and deadline; calls made by the proxy's own threads carry none.
 */
public interface LeasingUpstream {
    RangeResponse range(RangeRequest r);

    TxnResponse txn(TxnRequest r);

    /**
     * Opens a watch stream with one watch, {@code create}; keys of the request and the events are
     * in the client's key space. Returns what cancels the stream.
     */
    Runnable watch(WatchCreateRequest create, StreamObserver<WatchResponse> answers);

    LeaseGrantResponse grant(long ttlSeconds);

    StreamObserver<LeaseKeepAliveRequest> keepAlive(StreamObserver<LeaseKeepAliveResponse> answers);

    void revoke(long lease);
}
