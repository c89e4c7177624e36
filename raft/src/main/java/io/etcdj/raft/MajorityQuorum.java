package io.etcdj.raft;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.LongUnaryOperator;

/**
 * Majority arithmetic over one set of voters (no joint consensus: conf changes are one member at
 * a time). A majority of {@code n} voters is {@code n / 2 + 1}.
 */
final class MajorityQuorum {
  private MajorityQuorum() {}

  static int size(int voters) {
    return voters / 2 + 1;
  }

  /**
   * The largest index acknowledged by a majority: with each voter's acknowledged index given by
   * {@code acked} (0 if unknown), the majority-th largest value. 0 for an empty set.
   */
  static long committedIndex(Set<Long> voters, LongUnaryOperator acked) {
    if (voters.isEmpty()) {
      return 0;
    }
    long[] idx = new long[voters.size()];
    int i = 0;
    for (long id : voters) {
      idx[i++] = acked.applyAsLong(id);
    }
    Arrays.sort(idx);
    // ascending: the value at position n - q is held by at least q voters
    return idx[idx.length - size(idx.length)];
  }

  /** Counts {@code votes} (true = granted) of the voters; votes of non-voters are ignored. */
  static VoteResult voteResult(Set<Long> voters, Map<Long, Boolean> votes) {
    if (voters.isEmpty()) {
      return VoteResult.WON; // by convention, as etcd: nothing to disagree
    }
    int granted = 0;
    int missing = 0;
    for (long id : voters) {
      Boolean v = votes.get(id);
      if (v == null) {
        missing++;
      } else if (v) {
        granted++;
      }
    }
    int q = size(voters.size());
    if (granted >= q) {
      return VoteResult.WON;
    }
    if (granted + missing >= q) {
      return VoteResult.PENDING;
    }
    return VoteResult.LOST;
  }
}
