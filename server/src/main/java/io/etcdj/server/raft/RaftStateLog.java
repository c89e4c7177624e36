package io.etcdj.server.raft;

import io.etcdj.raft.StateRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a member's raft role and leader changes in the words etcd's raft logs them, the ones
 * operators search for: "<id> became candidate at term N" (also follower, pre-candidate,
 * leader), "raft.node: <id> elected leader <id> at term N", "raft.node: <id> lost leader <id> at
 * term N", "raft.node: <id> changed leader from <id> to <id> at term N", and a structured
 * "leader changed" line. IDs are lower-case hex. Only the roles seen between two Readys are
 * known, so a member that campaigned and won in one step (a single voter) is logged as having
 * been a candidate first, which it was. Used by the raft loop thread only.
 */
final class RaftStateLog {
    private static final Logger log = LoggerFactory.getLogger("io.etcdj.server.raft.RaftNode");

    private final String self;
    private StateRole role = StateRole.FOLLOWER;
    private long leader;

    RaftStateLog(long selfId) {
        this.self = Long.toHexString(selfId);
    }

    /** Logs what changed since the previous soft state; {@code term} is the current term. */
    void observe(long newLeader, StateRole newRole, long term) {
        if (newRole != role) {
            if (newRole == StateRole.LEADER && role != StateRole.CANDIDATE) {
                // won in the same step it campaigned (a single voter): raft was a candidate first
                log.info("{} became {} at term {}", self, roleWords(StateRole.CANDIDATE), term);
            }
            log.info("{} became {} at term {}", self, roleWords(newRole), term);
            role = newRole;
        }
        if (newLeader != leader) {
            String from = Long.toHexString(leader);
            String to = Long.toHexString(newLeader);
            if (leader == 0) {
                log.info("raft.node: {} elected leader {} at term {}", self, to, term);
            } else if (newLeader == 0) {
                log.info("raft.node: {} lost leader {} at term {}", self, from, term);
            } else {
                log.info("raft.node: {} changed leader from {} to {} at term {}", self, from, to, term);
            }
            log.atInfo().setMessage("leader changed").addKeyValue("local-member-id", self)
                    .addKeyValue("previous-leader-id", from).addKeyValue("leader-id", to)
                    .addKeyValue("term", term).log();
            leader = newLeader;
        }
    }

    private static String roleWords(StateRole r) {
        return switch (r) {
            case FOLLOWER -> "follower";
            case PRE_CANDIDATE -> "pre-candidate";
            case CANDIDATE -> "candidate";
            case LEADER -> "leader";
        };
    }
}
