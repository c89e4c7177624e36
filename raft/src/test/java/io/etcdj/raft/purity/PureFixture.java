package io.etcdj.raft.purity;

import java.util.List;
import java.util.random.RandomGenerator;

/** A class that only uses what raft may use; the scanner must accept it. Test code only. */
final class PureFixture {
  int pick(RandomGenerator random, List<String> xs) {
    return xs.isEmpty() ? -1 : random.nextInt(xs.size());
  }
}
