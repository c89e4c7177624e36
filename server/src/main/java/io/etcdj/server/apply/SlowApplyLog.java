package io.etcdj.server.apply;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcdj.raft.pb.Entry;
import io.etcdj.server.config.GoDuration;
import io.etcdj.server.logging.SlowRequestLog;
import io.etcdj.server.pb.InternalRaftRequest;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's "apply request took too long" warning, for an entry whose apply took longer than
 * --experimental-warning-apply-duration. The request is printed with its secrets replaced.
 */
final class SlowApplyLog {
    private static final Logger log = LoggerFactory.getLogger(SlowApplyLog.class);

    private SlowApplyLog() {}

    static void warn(Entry entry, long tookNanos, long expectedNanos) {
        String request;
        try {
            request = SlowRequestLog.content(InternalRaftRequest.parseFrom(entry.getData()));
        } catch (InvalidProtocolBufferException e) {
            request = "";
        }
        log.atWarn().setMessage("apply request took too long")
                .addKeyValue("took", goDuration(tookNanos))
                .addKeyValue("expected-duration", goDuration(expectedNanos))
                .addKeyValue("prefix", "")
                .addKeyValue("index", entry.getIndex())
                .addKeyValue("request", request)
                .log();
    }

    /** A duration in Go's short form as zap prints one ("123.456ms", "1.5s"). */
    static String goDuration(long nanos) {
        return GoDuration.format(Duration.ofNanos(nanos));
    }
}
