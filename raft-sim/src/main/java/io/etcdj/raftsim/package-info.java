/**
 * raft-sim: a deterministic, seeded simulation of raft groups under faults, in the spirit of
 * Kafka's RaftEventSimulationTest.
 *
 * <h2>Model</h2>
 * One seed is one single-threaded run in simulated milliseconds ({@link io.etcdj.raftsim.Simulation}).
 * Every random choice comes from one {@link java.util.SplittableRandom} seeded with the seed; each
 * member's RawNode gets its own generator split from it (a fresh one per restart). Nothing reads
 * the wall clock or sleeps, so a seed replays event for event.
 * <ul>
 *   <li><b>Members</b> ({@link io.etcdj.raftsim.SimNode}): a RawNode plus a "disk" — a MemoryStorage
 *       holding log, snapshot and hard state that changes only when the simulation completes a
 *       persist. One Ready is in flight at a time: its {@code messages} are sent when it is taken,
 *       its writes complete after a random latency, and only then are {@code messagesAfterPersist}
 *       sent and committed entries applied. A crash loses the RawNode, the Ready in flight (possibly
 *       tearing its write: a prefix of its new entries reaches the disk) and the application state;
 *       a restart rebuilds them from the disk.</li>
 *   <li><b>Network</b> ({@link io.etcdj.raftsim.Network}): per-link cuts (symmetric partitions,
 *       isolation, one-way), loss, duplication, latency with long tails that reorder; snapshot
 *       sends report FINISH/FAILURE; receivers refuse members they saw removed, and a refused member stops for good, as etcd does.</li>
 *   <li><b>Faults and operations</b> ({@link io.etcdj.raftsim.Nemesis}, {@link io.etcdj.raftsim.ClientLoad}):
 *       crashes, restarts, stalls, partitions, membership changes (learners, voters, removal,
 *       promotion), leadership transfer, snapshot + compaction, forced campaigns; client writes and
 *       ReadIndex reads throughout.</li>
 *   <li><b>Raft settings</b> ({@link io.etcdj.raftsim.RaftKnobs}) vary by seed, as does the group size (3 or 5).</li>
 * </ul>
 *
 * <h2>Invariants</h2> (package {@code check}), checked as events happen: at most one leader per
 * term ever; the committed prefix of every durable log never changes or shrinks; every member
 * applies the same sequence; a ReadIndex answer is at least the commit index known when the read
 * began; only voters ask for votes; and after each heal a new proposal commits within a bound.
 *
 * <h2>Replay</h2> {@code bin/raft-sim --seed S [--trace]}; {@code bin/raft-sim --seed-from S --seeds N}
 * runs a range over all cores (each seed still on one thread).
 */
package io.etcdj.raftsim;
