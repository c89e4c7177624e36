package io.etcdj.raft;

import com.google.protobuf.ByteString;
import io.etcdj.raft.pb.ConfState;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.HardState;
import io.etcdj.raft.pb.Snapshot;
import io.etcdj.raft.pb.SnapshotMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link RaftStorage} held in memory: the test and simulation "disk", and the in-memory
 * mirror of the WAL a server keeps for raft to read.
 *
 * <p>Invariant: {@code ents.get(0)} is a dummy entry whose index and term are those of the last
 * index covered by the snapshot (0/0 initially); real entries follow at consecutive indexes. All
 * methods are {@code synchronized} so an application thread may compact while the raft thread
 * reads; nothing ever waits on the monitor.
 */
public final class MemoryStorage implements RaftStorage {
  private HardState hardState = HardState.getDefaultInstance();
  private Snapshot snapshot = Snapshot.newBuilder()
      .setMetadata(SnapshotMetadata.newBuilder().setConfState(ConfState.getDefaultInstance()))
      .build();
  private final ArrayList<Entry> ents = new ArrayList<>();

  public MemoryStorage() {
    ents.add(Entry.getDefaultInstance());
  }

  @Override
  public synchronized InitialState initialState() {
    return new InitialState(hardState, snapshot.getMetadata().getConfState());
  }

  public synchronized HardState hardState() {
    return hardState;
  }

  public synchronized void setHardState(HardState hs) {
    this.hardState = hs;
  }

  @Override
  public synchronized List<Entry> entries(long lo, long hi, long maxSize) {
    long offset = ents.get(0).getIndex();
    if (lo <= offset) {
      throw new CompactedException();
    }
    if (hi > lastIndexLocked() + 1) {
      throw new UnavailableException();
    }
    if (ents.size() == 1) {
      return List.of(); // only the dummy entry
    }
    List<Entry> slice = ents.subList((int) (lo - offset), (int) (hi - offset));
    return List.copyOf(EntrySizes.limit(slice, maxSize));
  }

  @Override
  public synchronized long term(long index) {
    long offset = ents.get(0).getIndex();
    if (index < offset) {
      throw new CompactedException();
    }
    if (index - offset >= ents.size()) {
      throw new UnavailableException();
    }
    return ents.get((int) (index - offset)).getTerm();
  }

  @Override
  public synchronized long firstIndex() {
    return ents.get(0).getIndex() + 1;
  }

  @Override
  public synchronized long lastIndex() {
    return lastIndexLocked();
  }

  private long lastIndexLocked() {
    return ents.get(0).getIndex() + ents.size() - 1;
  }

  @Override
  public synchronized Snapshot snapshot() {
    return snapshot;
  }

  /** Replaces the whole content by the snapshot. @throws SnapshotOutOfDateException if not newer */
  public synchronized void applySnapshot(Snapshot snap) {
    long current = snapshot.getMetadata().getIndex();
    long index = snap.getMetadata().getIndex();
    if (current >= index) {
      throw new SnapshotOutOfDateException();
    }
    snapshot = snap;
    ents.clear();
    ents.add(Entry.newBuilder().setIndex(index).setTerm(snap.getMetadata().getTerm()).build());
  }

  /**
   * Makes (and remembers) a snapshot of the state as of {@code index}, which must be at most the
   * last index; {@code cs} and {@code data} describe the application state at that index.
   *
   * @throws SnapshotOutOfDateException if a snapshot at or after {@code index} exists
   */
  public synchronized Snapshot createSnapshot(long index, ConfState cs, ByteString data) {
    if (index <= snapshot.getMetadata().getIndex()) {
      throw new SnapshotOutOfDateException();
    }
    long offset = ents.get(0).getIndex();
    if (index > lastIndexLocked()) {
      throw new IllegalArgumentException(
          "snapshot " + index + " is out of bound lastindex(" + lastIndexLocked() + ")");
    }
    SnapshotMetadata.Builder md = SnapshotMetadata.newBuilder()
        .setIndex(index)
        .setTerm(ents.get((int) (index - offset)).getTerm());
    if (cs != null) {
      md.setConfState(cs);
    }
    snapshot = Snapshot.newBuilder().setMetadata(md).setData(data == null ? ByteString.EMPTY : data).build();
    return snapshot;
  }

  /**
   * Discards entries up to and including {@code compactIndex}; the term of {@code compactIndex}
   * stays known. The application must not compact past what it has applied (and snapshotted).
   *
   * @throws CompactedException if already compacted that far
   */
  public synchronized void compact(long compactIndex) {
    long offset = ents.get(0).getIndex();
    if (compactIndex <= offset) {
      throw new CompactedException();
    }
    if (compactIndex > lastIndexLocked()) {
      throw new IllegalArgumentException(
          "compact " + compactIndex + " is out of bound lastindex(" + lastIndexLocked() + ")");
    }
    int i = (int) (compactIndex - offset);
    Entry dummy = Entry.newBuilder()
        .setIndex(ents.get(i).getIndex())
        .setTerm(ents.get(i).getTerm())
        .build();
    List<Entry> rest = new ArrayList<>(ents.subList(i + 1, ents.size()));
    ents.clear();
    ents.add(dummy);
    ents.addAll(rest);
  }

  /**
   * Appends entries, which must be contiguous; an entry whose index is already held replaces it
   * and everything after it (a conflicting tail). Entries already compacted are ignored.
   */
  public synchronized void append(List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    long first = firstIndex();
    long last = entries.get(entries.size() - 1).getIndex();
    if (last < first) {
      return; // all compacted
    }
    List<Entry> toAdd = entries;
    if (first > entries.get(0).getIndex()) {
      toAdd = entries.subList((int) (first - entries.get(0).getIndex()), entries.size());
    }
    long offset = toAdd.get(0).getIndex() - ents.get(0).getIndex();
    if (offset > ents.size()) {
      throw new IllegalArgumentException("missing log entry [last: " + lastIndexLocked()
          + ", append at: " + toAdd.get(0).getIndex() + "]");
    }
    while (ents.size() > offset) {
      ents.remove(ents.size() - 1);
    }
    ents.addAll(toAdd);
  }
}
