package io.etcdj.server.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.mvcc.MvccException;
import io.etcdj.mvcc.lease.LeaseInfo;
import io.etcdj.mvcc.lease.Lessor;
import io.etcdj.mvcc.lease.NotPrimaryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * etcd's lease endpoints of the peer port, which its followers use to reach the leader's lessor:
 * {@code POST /leases} renews (body and answer: protobuf LeaseKeepAliveRequest/Response) and
 * {@code POST /leases/internal} reads a lease's TTL (leasepb.LeaseInternalRequest/Response, which
 * wrap LeaseTimeToLiveRequest/Response in their field 1). Other methods get a 405 without Allow.
 * Our followers forward over gRPC instead; these answer whoever asks, as etcd's do.
 */
final class PeerLeaseHttp {
    private static final String PROTOBUF = "application/protobuf";

    private PeerLeaseHttp() {
    }

    static PeerHttpAnswer renew(PeerHttpRequest r, Lessor lessor) {
        if (!r.method().equals("POST")) {
            return PeerHttpAnswer.error(405, "Method Not Allowed");
        }
        LeaseKeepAliveRequest request;
        try {
            request = LeaseKeepAliveRequest.parseFrom(r.body());
        } catch (InvalidProtocolBufferException e) {
            return PeerHttpAnswer.error(400, "error unmarshalling request");
        }
        long ttl;
        try {
            ttl = lessor.renew(request.getID());
        } catch (NotPrimaryException e) {
            return PeerHttpAnswer.error(400, "not a primary lessor");
        } catch (MvccException e) {
            return PeerHttpAnswer.error(404, "lease not found");
        }
        return PeerHttpAnswer.ok(PROTOBUF,
                LeaseKeepAliveResponse.newBuilder().setID(request.getID()).setTTL(ttl).build().toByteArray(), List.of());
    }

    static PeerHttpAnswer timeToLive(PeerHttpRequest r, Lessor lessor) {
        if (!r.method().equals("POST")) {
            return PeerHttpAnswer.error(405, "Method Not Allowed");
        }
        LeaseTimeToLiveRequest request;
        try {
            request = wrapped(r.body());
        } catch (IOException e) {
            return PeerHttpAnswer.error(400, "error unmarshalling request");
        }
        if (request == null) {
            return PeerHttpAnswer.dropped(); // etcd dereferences the missing request and panics
        }
        LeaseInfo info = lessor.timeToLive(request.getID(), request.getKeys());
        if (info == null) {
            return PeerHttpAnswer.error(404, "lease not found");
        }
        LeaseTimeToLiveResponse.Builder answer = LeaseTimeToLiveResponse.newBuilder()
                .setHeader(ResponseHeader.getDefaultInstance()).setID(request.getID())
                .setTTL(info.remainingTtl()).setGrantedTTL(info.grantedTtl());
        if (request.getKeys()) {
            answer.addAllKeys(info.keys());
        }
        return PeerHttpAnswer.ok(PROTOBUF, wrap(answer.build()), List.of());
    }

    /** Field 1 of a LeaseInternalRequest; null when the body does not carry it. */
    private static LeaseTimeToLiveRequest wrapped(byte[] body) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(body);
        LeaseTimeToLiveRequest found = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == ((1 << 3) | 2)) {
                ByteString bytes = in.readBytes();
                found = found == null ? LeaseTimeToLiveRequest.parseFrom(bytes)
                        : found.toBuilder().mergeFrom(bytes).build();
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        return found;
    }

    /** A LeaseInternalResponse: the answer as its field 1. */
    private static byte[] wrap(LeaseTimeToLiveResponse answer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeMessage(1, answer);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
