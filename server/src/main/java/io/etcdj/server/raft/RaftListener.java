package io.etcdj.server.raft;

import io.etcdj.raft.ReadState;
import java.util.List;

/** Callbacks from the raft-loop thread; implementations must return quickly and never block. */
public interface RaftListener {
    /** The known leader changed (0: none known). */
    default void onLeaderChange(long leader, long term) {}

    /** ReadIndex answers from one Ready, in order. */
    default void onReadStates(List<ReadState> readStates) {}

    /** One raft tick has passed. */
    default void onTick() {}
}
