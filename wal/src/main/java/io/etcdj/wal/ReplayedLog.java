package io.etcdj.wal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.HardState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Assembles replayed records into the raft state they describe, starting from a snapshot.
 *
 * <p>Invariants: {@code entries.get(i).getIndex() == from.index() + 1 + i}; an entry with index
 * i replaces entries[i - from.index() - 1 ..] (raft's truncation of a conflicting tail);
 * {@link #lastIndex()} is the highest index that the log ended with (entries or markers).
 */
final class ReplayedLog implements WalReplay.Visitor {
  private final SnapshotMarker from;
  private final List<Entry> entries = new ArrayList<>();
  private final List<SnapshotMarker> markers = new ArrayList<>();
  private byte[] metadata;
  private HardState hardState = HardState.getDefaultInstance();
  private boolean fromFound;
  private long lastIndex;

  ReplayedLog(SnapshotMarker from) {
    this.from = from;
    this.lastIndex = from.index();
  }

  @Override
  public void record(WalRecord r, Path segment) throws IOException {
    try {
      switch (r.type()) {
        case METADATA -> {
          if (metadata != null && !Arrays.equals(metadata, r.body())) {
            throw new IOException("wal: conflicting metadata found in " + segment
                + " at byte offset " + r.offset());
          }
          metadata = r.body();
        }
        case ENTRY -> addEntry(Entry.parseFrom(r.body()), r, segment);
        case STATE -> hardState = HardState.parseFrom(r.body());
        case SNAPSHOT -> addMarker(r, segment);
        case CRC -> { } // verified by the segment reader
      }
    } catch (InvalidProtocolBufferException e) {
      throw new WalCorruptException(segment, r.offset(),
          "undecodable " + r.type() + " body: " + e.getMessage());
    }
  }

  private void addEntry(Entry e, WalRecord r, Path segment) throws WalCorruptException {
    long index = e.getIndex();
    lastIndex = index;
    if (index <= from.index()) {
      return;
    }
    long position = index - from.index() - 1;
    if (position > entries.size()) {
      throw new WalCorruptException(segment, r.offset(), "entry index " + index
          + " leaves a gap after index " + (from.index() + entries.size()));
    }
    entries.subList((int) position, entries.size()).clear();
    entries.add(e);
  }

  private void addMarker(WalRecord r, Path segment) throws IOException {
    if (r.body().length != 16) {
      throw new WalCorruptException(segment, r.offset(), "snapshot marker of "
          + r.body().length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(r.body()).order(ByteOrder.LITTLE_ENDIAN);
    SnapshotMarker m = new SnapshotMarker(b.getLong(), b.getLong());
    markers.add(m);
    if (m.index() == from.index()) {
      if (m.term() != from.term()) {
        throw new IOException("wal: snapshot mismatch: the WAL has " + m + " in " + segment
            + " at byte offset " + r.offset() + ", replay asked for " + from);
      }
      fromFound = true;
    }
    if (m.index() > lastIndex) {
      lastIndex = m.index();
    }
  }

  boolean fromFound() {
    return fromFound;
  }

  byte[] metadata() {
    return metadata;
  }

  HardState hardState() {
    return hardState;
  }

  List<Entry> entries() {
    return entries;
  }

  List<SnapshotMarker> markers() {
    return markers;
  }

  long lastIndex() {
    return lastIndex;
  }
}
