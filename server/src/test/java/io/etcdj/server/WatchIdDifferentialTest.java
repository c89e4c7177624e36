package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.WatchCancelRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.server.GrpcTransportErrorsDifferentialTest.Client;
import io.etcdj.server.gateway.ReferenceEtcd;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watch IDs on one stream around a watch etcd cancels because its start revision was compacted
 * (the answer with compact_revision set), the same requests to the reference etcd 3.4.23 and to
 * one of our members, each answer written as its watch ID and flags: which ID the next watch the
 * server numbers gets, what a client-chosen ID that names such a cancelled watch gets (before and
 * after the client cancels it), and one that names a watch still active; and whether the server's
 * numbering skips such an id. Both servers get the same
 * writes and compaction first, so revisions match.
 */
class WatchIdDifferentialTest {
    @TempDir
    Path dir;

    @Test
    void idsAfterACompactedWatchAreGivenAsEtcdGivesThem() throws Exception {
        List<String> reference;
        try (ReferenceEtcd etcd = new ReferenceEtcd()) {
            reference = scenario("127.0.0.1:" + etcd.clientPort);
        }
        List<String> ours;
        try (EtcdCluster c = EtcdCluster.start(dir, 1)) {
            c.awaitLeader(Duration.ofSeconds(20));
            URI url = URI.create(c.clientUrl(0));
            ours = scenario(url.getHost() + ":" + url.getPort());
        }
        System.out.println("reference etcd's transcript:\n" + String.join("\n", reference));
        assertThat(String.join("\n", ours)).isEqualTo(String.join("\n", reference));
    }

    private static List<String> scenario(String endpoint) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Client c = new Client(endpoint)) {
            for (int i = 0; i < 5; i++) {
                c.unaryBytes("etcdserverpb.KV/Put", PutRequest.newBuilder().setKey(utf8("a")).setValue(utf8("v" + i))
                        .build().toByteArray());
            }
            c.unaryBytes("etcdserverpb.KV/Compact", CompactionRequest.newBuilder().setRevision(6).build().toByteArray());
            try (Client.OpenStream s = c.open("etcdserverpb.Watch/Watch")) {
                lines.add("server-numbered, compacted: " + exchange(s, create("a", 2, -1), 2));
                lines.add("server-numbered after it: " + exchange(s, create("b", 0, -1), 1));
                lines.add("id 5, compacted: " + exchange(s, create("a", 2, 5), 2));
                lines.add("id 5 again: " + exchange(s, create("b", 0, 5), 1));
                lines.add("cancel 5: " + exchange(s, WatchRequest.newBuilder().setCancelRequest(
                        WatchCancelRequest.newBuilder().setWatchId(5)).build(), 1));
                lines.add("id 5 once cancelled: " + exchange(s, create("b", 0, 5), 1));
                lines.add("id 5 while active: " + exchange(s, create("c", 0, 5), 1));
                lines.add("server-numbered at the end: " + exchange(s, create("d", 0, -1), 1));
                lines.add("id 3, compacted: " + exchange(s, create("a", 2, 3), 2));
                lines.add("server-numbered after that: " + exchange(s, create("e", 0, -1), 1));
            }
        }
        return lines;
    }

    /** Sends {@code request} and describes the {@code answers} that follow it. */
    private static String exchange(Client.OpenStream s, WatchRequest request, int answers) throws Exception {
        s.send(request.toByteArray());
        List<String> described = new ArrayList<>();
        for (int i = 0; i < answers; i++) {
            Object next = s.next();
            if (!(next instanceof byte[] bytes)) {
                described.add(String.valueOf(next));
                break;
            }
            WatchResponse r = WatchResponse.parseFrom(bytes);
            described.add("id=" + r.getWatchId() + (r.getCreated() ? " created" : "") + (r.getCanceled() ? " canceled" : "")
                    + (r.getCompactRevision() != 0 ? " compact_revision=" + r.getCompactRevision() : "")
                    + (r.getCancelReason().isEmpty() ? "" : " reason=" + r.getCancelReason()));
        }
        return String.join("; ", described);
    }

    /** A create request from {@code startRevision} (0: now) with {@code watchId} (-1: the server numbers it). */
    private static WatchRequest create(String key, long startRevision, long watchId) {
        WatchCreateRequest.Builder b = WatchCreateRequest.newBuilder().setKey(utf8(key)).setStartRevision(startRevision);
        if (watchId >= 0) {
            b.setWatchId(watchId);
        }
        return WatchRequest.newBuilder().setCreateRequest(b).build();
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
