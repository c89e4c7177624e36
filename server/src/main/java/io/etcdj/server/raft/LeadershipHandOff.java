package io.etcdj.server.raft;

import io.etcdj.raft.PeerProgress;
import io.etcdj.raft.Status;
import io.etcdj.server.config.GoDuration;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a graceful stop, a leader hands leadership to its most up-to-date active voter (as etcd does
 * on shutdown), so the cluster does not wait an election timeout to notice it is gone. Best
 * effort: gives up after the timeout.
 */
public final class LeadershipHandOff {
    private static final Logger log = LoggerFactory.getLogger(LeadershipHandOff.class);

    private LeadershipHandOff() {}

    /** Returns whether another member leads when it returns. */
    public static boolean handOff(RaftLoop loop, long selfId, Duration timeout) {
        if (!loop.view().isLeader()) {
            return false;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            long target = loop.call(node -> {
                Status st = node.status();
                long best = 0;
                long bestMatch = -1;
                for (Map.Entry<Long, PeerProgress> e : st.progress().entrySet()) {
                    PeerProgress p = e.getValue();
                    if (e.getKey() != selfId && !p.learner() && p.recentActive() && p.match() > bestMatch) {
                        best = e.getKey();
                        bestMatch = p.match();
                    }
                }
                if (best != 0) {
                    node.transferLeader(best);
                }
                return best;
            }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String self = Long.toHexString(selfId);
            if (target == 0) {
                log.atInfo().setMessage("skipped leadership transfer for single voting member cluster")
                        .addKeyValue("local-member-id", self).addKeyValue("current-leader-member-id", self).log();
                return false;
            }
            log.atInfo().setMessage("leadership transfer starting").addKeyValue("local-member-id", self)
                    .addKeyValue("current-leader-member-id", self)
                    .addKeyValue("transferee-member-id", Long.toHexString(target)).log();
            long started = System.nanoTime();
            while (System.nanoTime() - deadline < 0) {
                long leader = loop.view().leader();
                if (leader != 0 && leader != selfId) {
                    log.atInfo().setMessage("leadership transfer finished").addKeyValue("local-member-id", self)
                            .addKeyValue("old-leader-member-id", self)
                            .addKeyValue("new-leader-member-id", Long.toHexString(leader))
                            .addKeyValue("took", GoDuration.format(
                                    Duration.ofNanos(System.nanoTime() - started))).log();
                    return true;
                }
                Thread.sleep(5); // polling interval of a condition with a deadline
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // best effort
        }
        return false;
    }
}
