package io.etcdj.raft;

import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.Snapshot;
import java.util.List;

/**
 * The read side of a member's persisted log. Raft only reads through this interface; the
 * application writes the storage from {@link Ready}s (entries, hard state, snapshot).
 *
 * <p>Invariant: the storage holds the contiguous indexes {@code [firstIndex(), lastIndex()]} and
 * knows the term of {@code firstIndex() - 1} (the last index covered by its snapshot; 0 on an
 * empty log, whose firstIndex is 1 and lastIndex 0).
 */
public interface RaftStorage {
  InitialState initialState();

  /**
   * Entries in {@code [lo, hi)}, cut to at most {@code maxSize} bytes of serialized entries but
   * always at least one entry when the range is not empty.
   *
   * @throws CompactedException if {@code lo < firstIndex()}
   * @throws UnavailableException if {@code hi > lastIndex() + 1}
   */
  List<Entry> entries(long lo, long hi, long maxSize);

  /**
   * Term of the entry at {@code index}; {@code index} may be {@code firstIndex() - 1}.
   *
   * @throws CompactedException if {@code index < firstIndex() - 1}
   * @throws UnavailableException if {@code index > lastIndex()}
   */
  long term(long index);

  long firstIndex();

  long lastIndex();

  /** The most recent snapshot. @throws SnapshotTemporarilyUnavailableException if not ready yet */
  Snapshot snapshot();
}
