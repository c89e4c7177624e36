package io.etcdj.server.bootstrap;

import io.etcdj.server.pb.MembersAnswer;
import io.etcdj.server.pb.MembersQuery;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Asks running members, over their peer port, for the cluster ID and members (to join). */
final class MembersClient {
    private MembersClient() {}

    static MembersAnswer fetch(List<String> peerUrls) throws IOException {
        IOException last = new IOException("no peer URL to ask");
        for (String url : peerUrls) {
            URI u = URI.create(url);
            ManagedChannel ch = NettyChannelBuilder.forAddress(u.getHost(), u.getPort()).usePlaintext().build();
            try {
                return ClientCalls.blockingUnaryCall(ch,
                        io.etcdj.server.transport.PeerMethods.MEMBERS,
                        CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), MembersQuery.getDefaultInstance());
            } catch (RuntimeException e) {
                last = new IOException("could not get the cluster's members from " + url + ": " + e.getMessage(), e);
            } finally {
                ch.shutdownNow();
            }
        }
        throw last;
    }
}
