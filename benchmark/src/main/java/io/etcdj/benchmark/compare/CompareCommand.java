package io.etcdj.benchmark.compare;

import picocli.CommandLine.Command;

/** Placeholder replaced below. */
@Command(name = "compare", hidden = true)
public final class CompareCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("not yet");
    }
}
