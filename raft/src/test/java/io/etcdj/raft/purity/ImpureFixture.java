package io.etcdj.raft.purity;

import java.io.File;
import java.net.InetAddress;
import java.util.concurrent.Executors;

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
        Executors.newSingleThreadExecutor().shutdown();
    }

    InetAddress address() {
        return InetAddress.getLoopbackAddress();
    }
}
