/**
 * {@code --auto-compaction-mode} / {@code --auto-compaction-retention}: the leader's own
 * compaction requests. The plans decide when and to which revision (pure, driven by ticks); the
 * {@link io.etcdj.server.compaction.AutoCompactor} ticks them on its own thread and proposes the
 * compactions through raft as any client's.
 */
package io.etcdj.server.compaction;
