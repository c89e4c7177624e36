/**
 * Leases, as etcd has them: {@link io.etcdj.mvcc.lease.Lessor} (grant, revoke, renew, time-to-live,
 * list, key attachments, primary-only expiry, checkpoints, promotion/demotion), with time injected
 * through {@link io.etcdj.mvcc.lease.MonotonicClock}.
 *
 * <h2>Server wiring</h2>
 * <pre>{@code
 * KvStore store = KvStore.open(backend);
 * Lessor lessor = Lessor.open(store, new LessorConfig(LessorConfig.minLeaseTtl(electionTicks, heartbeat),
 *         checkpointInterval, checkpointPersist, requestTimeout), MonotonicClock.SYSTEM);
 * WatchableStore watchable = new WatchableStore(store);
 * store.setWriteListener(lessor.keyAttachments(watchable));
 * KvRequestExecutor kv = new KvRequestExecutor(store, lessor::exists);
 * }</pre>
 * Applier: LeaseGrant → {@code grant(id, ttl)} (the id is chosen before proposing when the client sent
 * 0); LeaseRevoke → {@code revoke(id)}; LeaseCheckpoint → {@code checkpoint(id, remaining)} per entry.
 * Leader: {@code promote(electionTimeoutNanos)} after applying the empty entry of its term,
 * {@code demote()} on losing leadership; every 500 ms propose a revoke for each of
 * {@code expiredLeases(500)} and one LeaseCheckpointRequest of {@code dueCheckpoints(1000)}.
 * gRPC: keepalive → {@code renew(id)} (NotPrimaryException: forward to the leader; not found: answer
 * TTL 0); time-to-live → {@code timeToLive(id, keys)} (null: answer TTL -1); leases → {@code leases()}.
 */
package io.etcdj.mvcc.lease;
