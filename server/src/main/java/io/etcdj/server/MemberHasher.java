package io.etcdj.server;

import io.etcdj.api.etcdserverpb.AlarmRequest;
import io.etcdj.api.etcdserverpb.AlarmType;
import io.etcdj.mvcc.HashKvResult;
import io.etcdj.server.corruption.CorruptionChecker;
import io.etcdj.server.corruption.PeerHash;
import io.etcdj.server.corruption.PeerHashCollector;
import io.etcdj.server.storage.ServerBackend;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the corruption checks ask of a running member: its backend, its peers, and raft for the alarm. */
final class MemberHasher implements CorruptionChecker.Hasher {
    private static final Logger log = LoggerFactory.getLogger(MemberHasher.class);

    private final long memberId;
    private final ServerBackend backend;
    private final EtcdServer server;
    private final PeerHashCollector peers;

    MemberHasher(long memberId, ServerBackend backend, EtcdServer server, PeerHashCollector peers) {
        this.memberId = memberId;
        this.backend = backend;
        this.server = server;
        this.peers = peers;
    }

    @Override
    public long memberId() {
        return memberId;
    }

    @Override
    public HashKvResult hashKv(long revision) {
        return backend.hashKv(revision);
    }

    @Override
    public List<PeerHash> peerHashes(long revision) {
        return peers.at(revision);
    }

    @Override
    public void linearizableBarrier() throws Exception {
        server.linearizableBarrier().get();
    }

    @Override
    public void triggerCorruptAlarm(long id) {
        server.alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.ACTIVATE).setMemberID(id)
                .setAlarm(AlarmType.CORRUPT).build()).whenComplete((r, err) -> {
                    if (err != null) {
                        log.atWarn().setMessage("failed to raise the CORRUPT alarm")
                                .addKeyValue("error", String.valueOf(err.getMessage())).log();
                    }
                });
    }
}
