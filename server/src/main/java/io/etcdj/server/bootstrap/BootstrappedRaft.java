package io.etcdj.server.bootstrap;

import io.etcdj.raft.MemoryStorage;
import io.etcdj.raft.RawNode;
import io.etcdj.server.membership.Membership;
import io.etcdj.server.storage.RaftLogStore;

/**
 * The raft side of a member as bootstrap leaves it, before any thread starts.
 *
 * @param raftApplied the index raft considers applied (the snapshot's); committed entries after it
 *     are handed to the applier again, which skips what the backend already has
 */
public record BootstrappedRaft(long memberId, Membership membership, RaftLogStore log, MemoryStorage storage,
                               RawNode node, long raftApplied) {}
