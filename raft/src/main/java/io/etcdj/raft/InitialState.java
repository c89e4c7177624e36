package io.etcdj.raft;

import io.etcdj.raft.pb.ConfState;
import io.etcdj.raft.pb.HardState;

/** What a storage holds about the member at start-up. */
public record InitialState(HardState hardState, ConfState confState) {}
