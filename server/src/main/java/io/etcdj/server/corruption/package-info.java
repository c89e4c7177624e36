/**
 * Data corruption checks (etcd's corruption checker): a member compares the HashKV of its key
 * space with its peers' at the same revision, asked over the peer port.
 * <ul>
 *   <li>{@link io.etcdj.server.corruption.CorruptionChecker#initialCheck()}: with
 *       --experimental-initial-corrupt-check, before the member serves clients; a peer with the same
 *       compaction revision and another hash stops the start-up ("found data inconsistency with
 *       peers").</li>
 *   <li>{@link io.etcdj.server.corruption.CorruptionChecker#periodicCheck()}: every
 *       --experimental-corrupt-check-time on the leader ({@link io.etcdj.server.corruption.CorruptionMonitor});
 *       a mismatch raises the CORRUPT alarm through raft, which then refuses every key-space and
 *       lease request in the cluster.</li>
 * </ul>
 */
package io.etcdj.server.corruption;
