package io.etcdj.raftsim;

import io.etcdj.raft.RaftConfig;
import java.util.SplittableRandom;

/**
 * The raft settings one seed runs with, drawn from the seed so that runs cover the defaults as
 * well as the corners: tiny messages (one entry per append), a flow-control window of one,
 * committed entries handed out a few at a time, a small uncommitted-size budget that drops
 * proposals, short and long election timeouts, pre-vote and check-quorum on and off.
 */
record RaftKnobs(int electionTick, int heartbeatTick, boolean preVote, boolean checkQuorum, long maxSizePerMsg,
                 int maxInflightMsgs, long maxCommittedSizePerReady, long maxUncommittedEntriesSize) {

    static RaftKnobs draw(SplittableRandom random) {
        boolean defaults = random.nextInt(3) == 0;
        int heartbeat = defaults ? 1 : 1 + random.nextInt(2);
        int election = defaults ? 10 : heartbeat * (3 + random.nextInt(10));
        return new RaftKnobs(
                election,
                heartbeat,
                random.nextInt(4) != 0,
                random.nextInt(4) != 0,
                defaults || random.nextBoolean() ? 1024 * 1024 : random.nextInt(2) == 0 ? 1 : 16 + random.nextInt(200),
                defaults || random.nextBoolean() ? 256 : 1 + random.nextInt(4),
                defaults || random.nextBoolean() ? 1024 * 1024 : 1 + random.nextInt(100),
                defaults || random.nextInt(3) != 0 ? 0 : 50 + random.nextInt(400));
    }

    RaftConfig.Builder applyTo(RaftConfig.Builder b) {
        return b.electionTick(electionTick)
                .heartbeatTick(heartbeatTick)
                .preVote(preVote)
                .checkQuorum(checkQuorum)
                .maxSizePerMsg(maxSizePerMsg)
                .maxInflightMsgs(maxInflightMsgs)
                .maxCommittedSizePerReady(maxCommittedSizePerReady)
                .maxUncommittedEntriesSize(maxUncommittedEntriesSize);
    }
}
