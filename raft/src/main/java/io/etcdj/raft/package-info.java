/**
 * The Raft consensus algorithm as a pure state machine (after etcd-io/raft): no threads, I/O or
 * clock. Time is {@link io.etcdj.raft.RawNode#tick()}, randomness an injected
 * {@link java.util.random.RandomGenerator}, storage is read through
 * {@link io.etcdj.raft.RaftStorage} and written by the application from
 * {@link io.etcdj.raft.Ready}s.
 *
 * <p>Public: {@link io.etcdj.raft.RawNode}, {@link io.etcdj.raft.RaftConfig},
 * {@link io.etcdj.raft.RaftStorage} / {@link io.etcdj.raft.MemoryStorage}, {@link io.etcdj.raft.Ready}
 * and the value types it carries, {@link io.etcdj.raft.ReconfigSafety}. Everything else is
 * package-private and organised one concept per file: {@code RaftLog} (storage + {@code UnstableLog}
 * + commit/apply cursors), {@code Progress} with {@code Inflights}, {@code ProgressTracker} with
 * {@code MajorityQuorum}, {@code ReadOnly} (ReadIndex queue), {@code Outbox}; the node itself is
 * {@code Raft} (state and role transitions) with its message handling split by role into
 * {@code FollowerStep}, {@code CandidateStep}, {@code LeaderStep}, plus {@code Election},
 * {@code Replicator} (the leader's sending side) and {@code ConfChangeApplier}.
 *
 * <p>Safety invariants kept here: at most one leader per term; a vote or an acknowledgement is
 * only sent after the state it depends on is durable ({@code Ready.messagesAfterPersist}); the
 * leader's own log counts toward a commit quorum only once {@code advance()} confirmed it
 * durable; only entries of the leader's current term are committed by counting replicas;
 * committed entries are handed to the application only once durable locally; learners never
 * vote, campaign or count; one membership change at a time.
 */
package io.etcdj.raft;
