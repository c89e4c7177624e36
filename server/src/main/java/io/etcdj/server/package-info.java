/**
 * One etcd member: {@link io.etcdj.server.EtcdMain} (bin/etcd) builds an
 * {@link io.etcdj.server.EtcdMember} from the configuration; the v3 services talk to it only through
 * the narrow {@link io.etcdj.server.EtcdServer} interface.
 *
 * <h2>Threading model (the one place it is written down)</h2>
 * <ul>
 *   <li><b>raft-loop</b> ({@link io.etcdj.server.raft.RaftLoop}): the ONLY thread that touches the
 *       RawNode and its MemoryStorage, and the only writer of the WAL. Everything else reaches raft
 *       by queueing a task on the loop's inbox (proposals, peer messages, ReadIndex requests,
 *       conf changes to apply, unreachable/snapshot reports). The loop drains every queued task
 *       before asking for a Ready, so concurrent proposals share one Ready and one fdatasync.
 *       It ticks raft every heartbeat interval by its own clock. Per Ready: send
 *       {@code messages()} at once (the leader's appends travel while the WAL is written), save
 *       hard state + entries (one fsync when mustSync), append to MemoryStorage, send
 *       {@code messagesAfterPersist()}, hand committed entries to the applier, advance — except
 *       that a Ready holding conf changes is advanced only once the applier has applied them to
 *       the RawNode (raft's applied index never passes an unapplied conf change); until then the
 *       loop runs tasks and ticks but takes no Ready. It never blocks on another thread.</li>
 *   <li><b>applier</b> ({@link io.etcdj.server.apply.ApplierThread}): applies committed entries in
 *       order to the backend (data + consistent index in one batch) and the membership, wakes the
 *       waiting request ({@link io.etcdj.server.apply.WaitRegistry}) and advances the applied
 *       index ({@link io.etcdj.server.apply.AppliedIndex}). For a conf change it waits for the
 *       raft loop to apply it to the RawNode (the loop never blocks on the applier, so this
 *       cannot deadlock).</li>
 *   <li><b>peer senders</b> ({@link io.etcdj.server.transport.PeerStream}): one thread per remote
 *       member keeping a long-lived raft stream connection open (a plain or TLS socket, reconnecting
 *       with back-off), writing what was queued while it was not writable, and sending snapshots
 *       over gRPC. When the connection is up and nothing is queued, the raft loop writes into the
 *       socket itself (non-blocking; what the socket does not take is flushed by the sender
 *       thread). Incoming peer messages arrive on the peer server's transport threads (no
 *       executor) and are queued on the raft loop.</li>
 *   <li><b>gRPC client threads</b> (the v3 services): the client port's transport threads run
 *       the handlers directly (no executor), so handlers must never block: they validate, call
 *       {@code EtcdServer}, return. Writes register a waiter and queue a proposal; linearizable
 *       reads join the {@link io.etcdj.server.read.ReadIndexBatcher}'s next round; serializable
 *       reads are served right there from the backend.</li>
 *   <li><b>read executor</b>: serves reads from the backend once their ReadIndex round is
 *       answered and applied (so the applier thread never runs a read). It also runs the bcrypt
 *       work of auth (hashing a new password before its proposal, checking one before
 *       Authenticate), which costs tens of milliseconds and must not run on gRPC threads.</li>
 *   <li><b>auth</b> ({@link io.etcdj.server.auth.AuthStore}): changed only by the applier, which
 *       commits the new state with the consistent index and then publishes it through a
 *       volatile field; gRPC threads check permissions against that published state without
 *       locking. Resolving a token waits (a future, never a thread) until this member has applied
 *       the Authenticate entry the token names.</li>
 *   <li><b>lease timer</b> ({@code LeaseExpiryTimer}): every 500 ms, on the leader only, proposes
 *       revokes of expired leases and lease checkpoints. The lessor is promoted on the applier
 *       thread once the empty entry of the leader's term is applied, and demoted on the raft-loop
 *       thread (a {@code RaftListener}) when the leader changes away from this member.
 *       Follower keepalives are forwarded to the leader's client URL over gRPC
 *       ({@link io.etcdj.server.v3.GrpcLeaseForwarder}) from gRPC/read-executor threads.</li>
 *   <li><b>watch-sync</b> ({@link io.etcdj.mvcc.watch.WatchSyncLoop}): catches unsynced watchers up
 *       from history. Synced watchers get their events on the applier thread (the store's write
 *       listener), queued without blocking; the <b>watch senders</b> (a small pool in
 *       {@link io.etcdj.server.v3.WatchService}) drain each stream while its gRPC call is ready;
 *       a <b>progress ticker</b> there ticks every stream every 10 minutes.</li>
 *   <li><b>lock-election-watch</b> ({@code RecipeThreads} in {@link io.etcdj.server.v3}): Lock and
 *       Campaign calls that must wait, and Observe calls, hold no thread: they wait on a watch of
 *       their own ({@code ServerWatch}), whose listener only schedules a drain on this single
 *       daemon thread; the drain polls the watch and starts the next asynchronous request. The
 *       thread is made on first use and ends after a minute idle. A cancelled call closes its
 *       watch (and a Lock or Campaign attempt deletes its key).</li>
 *   <li><b>maintenance</b> (one thread per member, in {@code MemberMaintenance}): defragment, Hash,
 *       HashKV and snapshot checkpoints, which scan or rewrite the backend; one at a time.</li>
 *   <li><b>snapshot senders</b> ({@code v3.SnapshotStreamer}): one thread per
 *       Maintenance.Snapshot call, writing chunks only while the call is ready (flow control).</li>
 *   <li><b>health</b>: grpc.health.v1 status follows leader changes on the raft-loop thread
 *       ({@link io.etcdj.server.v3.ClientHealth}); MoveLeader waits on
 *       {@link io.etcdj.server.raft.LeaderWaiters}, completed there too.</li>
 *   <li><b>publisher</b> ({@code MemberPublisher}): after start, proposes this member's name and
 *       client URLs until applied, then ends.</li>
 * </ul>
 * Constructors start no thread; {@code EtcdMember.start()} starts them all and
 * {@code EtcdMember.close()} stops them in reverse order before closing the WAL and backend.
 */
package io.etcdj.server;
