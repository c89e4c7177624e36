package io.etcdj.server.bootstrap;

import io.etcdj.server.pb.MembersAnswer;
import io.etcdj.server.pb.MembersQuery;
import io.etcdj.server.transport.MemberChannels;
import io.etcdj.server.transport.PeerMethods;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Asks running members, over their peer port, for the cluster ID and members (to join). */
final class MembersClient {
    private MembersClient() {}

    static MembersAnswer fetch(List<String> peerUrls, MemberChannels channels) throws IOException {
        IOException last = new IOException("no peer URL to ask");
        for (String url : peerUrls) {
            ManagedChannel ch = channels.open(url, PeerMethods.MAX_MESSAGE_BYTES);
            try {
                return ClientCalls.blockingUnaryCall(ch,
                        PeerMethods.MEMBERS,
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
