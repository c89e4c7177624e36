/**
 * Watches, as etcd has them: {@link io.etcdj.mvcc.watch.WatchableStore} delivers a
 * {@link io.etcdj.mvcc.KvStore}'s committed revisions to watchers grouped in
 * {@link io.etcdj.mvcc.watch.WatchStream}s (one per gRPC Watch call), keeping etcd's guarantees:
 * ordered, unique, reliable, atomic, resumable (start from last revision + 1), bookmarkable (progress).
 *
 * <h2>Server wiring</h2>
 * Install the store as the KV store's listener (see {@code io.etcdj.mvcc.lease}), start a
 * {@link io.etcdj.mvcc.watch.WatchSyncLoop}, and for each gRPC Watch call:
 * <pre>{@code
 * WatchStream s = watchable.newStream(128, maxRequestBytes + 512 * 1024);
 * onNext(WatchRequest r)  -> s.handle(r)       // create / cancel / progress
 * sender: WatchResponse w = s.poll(timeout)    // fill header cluster_id, member_id, raft_term; send
 * every 10 minutes        -> s.progressTick()  // progress_notify watchers
 * onCompleted / onError   -> s.close()
 * }</pre>
 * Permission checks (auth) and the max-request-bytes fragment size are the gRPC layer's.
 */
package io.etcdj.mvcc.watch;
