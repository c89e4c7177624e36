package io.etcdj.raft;

import io.etcdj.raft.pb.ConfState;
import io.etcdj.raft.pb.HardState;
import java.util.Map;

/**
 * A consistent copy of a member's state.
 *
 * @param progress per member, only on the leader (empty otherwise)
 * @param leadTransferee the member leadership is being transferred to, 0 if none
 * @param config the current voters and learners
 */
public record Status(
    long id,
    HardState hardState,
    SoftState softState,
    long applied,
    Map<Long, PeerProgress> progress,
    long leadTransferee,
    ConfState config) {}
