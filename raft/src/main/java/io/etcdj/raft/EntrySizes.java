package io.etcdj.raft;

import io.etcdj.raft.pb.Entry;
import java.util.List;

/** Byte-size accounting of entries, as raft limits messages and batches by serialized size. */
final class EntrySizes {
  private EntrySizes() {}

  /**
   * The longest prefix of {@code ents} whose total serialized size is at most {@code maxSize},
   * but never fewer than one entry when {@code ents} is not empty.
   */
  static List<Entry> limit(List<Entry> ents, long maxSize) {
    if (ents.isEmpty()) {
      return ents;
    }
    long size = ents.get(0).getSerializedSize();
    int limit = 1;
    while (limit < ents.size()) {
      size += ents.get(limit).getSerializedSize();
      if (size > maxSize) {
        break;
      }
      limit++;
    }
    return ents.subList(0, limit);
  }

  /** Sum of the payload (data) sizes, used for the uncommitted-size limit as etcd does. */
  static long payloadSize(List<Entry> ents) {
    long s = 0;
    for (Entry e : ents) {
      s += e.getData().size();
    }
    return s;
  }

  static long serializedSize(List<Entry> ents) {
    long s = 0;
    for (Entry e : ents) {
      s += e.getSerializedSize();
    }
    return s;
  }
}
