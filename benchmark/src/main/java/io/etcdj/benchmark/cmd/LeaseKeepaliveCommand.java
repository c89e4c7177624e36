package io.etcdj.benchmark.cmd;

import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.etcdj.benchmark.client.ClientChannels;
import io.etcdj.benchmark.client.Connections;
import io.etcdj.benchmark.report.Summary;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmark lease-keepalive}: each client grants one lease (TTL 100 s), then renews it
 * once per request, each renewal on a fresh LeaseKeepAlive stream (clientv3's KeepAliveOnce).
 */
@Command(name = "lease-keepalive", description = "Benchmark lease keepalive")
final class LeaseKeepaliveCommand extends BenchCommand {
    @Option(names = "--total", description = "Total number of lease keepalive requests (default: 10000)")
    int total = 10000;

    @Override
    protected int run() throws Exception {
        try (Connections conns = connect()) {
            int clients = global().clients;
            long[] leases = new long[clients];
            for (int i = 0; i < clients; i++) {
                leases[i] = LeaseGrpc.newBlockingStub(conns.forClient(i).next()).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(100).build()).getID();
            }
            Summary s = closedLoop(total, 0, client -> {
                ClientChannels ch = conns.forClient(client);
                LeaseKeepAliveRequest req = LeaseKeepAliveRequest.newBuilder().setID(leases[client]).build();
                return (seq, done) -> {
                    ClientCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> call =
                            ch.next().newCall(LeaseGrpc.getLeaseKeepAliveMethod(), CallOptions.DEFAULT);
                    StreamObserver<LeaseKeepAliveRequest> requests = ClientCalls.asyncBidiStreamingCall(call,
                            new StreamObserver<LeaseKeepAliveResponse>() {
                                private boolean answered;

                                @Override
                                public void onNext(LeaseKeepAliveResponse r) {
                                    if (!answered) {
                                        answered = true;
                                        call.cancel("keepalive answered", null);
                                        done.ok();
                                    }
                                }

                                @Override
                                public void onError(Throwable t) {
                                    if (!answered) {
                                        answered = true;
                                        done.failed(t);
                                    }
                                }

                                @Override
                                public void onCompleted() {
                                    if (!answered) {
                                        answered = true;
                                        done.failed(new IllegalStateException("keepalive stream closed without a response"));
                                    }
                                }
                            });
                    requests.onNext(req);
                };
            });
            print("lease-keepalive", "", s);
        }
        return 0;
    }
}
