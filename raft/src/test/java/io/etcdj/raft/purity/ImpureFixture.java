package io.etcdj.raft.purity;

import java.io.File;

/** Deliberately impure: the purity scanner must flag every line of this class. Test code only. */
final class ImpureFixture {
  long clock() {
    return System.nanoTime() + System.currentTimeMillis();
  }

  boolean file() {
    return new File("/tmp").exists();
  }

  void thread() {
    new Thread(() -> { }).start();
  }

  void executor() {
    java.util.concurrent.Executors.newSingleThreadExecutor().shutdown();
  }

  java.net.InetAddress address() {
    return java.net.InetAddress.getLoopbackAddress();
  }
}
