package io.etcdj.wal;

import com.google.protobuf.ByteString;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.raft.pb.HardState;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Builders of entries and hard states for WAL scenarios; payloads are derived from a seed. */
final class TestLogs {
  private TestLogs() {}

  static Entry entry(long index, long term, ByteString data) {
    return Entry.newBuilder().setType(EntryType.EntryNormal).setIndex(index).setTerm(term)
        .setData(data).build();
  }

  /** A payload that depends only on (seed, index, term): a reader can recompute it. */
  static ByteString payload(long seed, long index, long term, int maxBytes) {
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + index * 31 + term);
    byte[] b = new byte[r.nextInt(maxBytes + 1)];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) r.nextInt(256);
    }
    return ByteString.copyFrom(b);
  }

  static List<Entry> entries(long seed, long from, long to, long term, int maxBytes) {
    List<Entry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(entry(i, term, payload(seed, i, term, maxBytes)));
    }
    return out;
  }

  static HardState state(long term, long vote, long commit) {
    return HardState.newBuilder().setTerm(term).setVote(vote).setCommit(commit).build();
  }

  static byte[] metadata() {
    return new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  }

  /** Options with small segments so that scenarios cut segments without writing 64 MB. */
  static WalOptions smallSegments(long bytes) {
    return WalOptions.DEFAULTS.withSegmentBytes(bytes);
  }
}
