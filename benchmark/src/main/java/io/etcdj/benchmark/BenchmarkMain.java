package io.etcdj.benchmark;

/** Entry point of bin/benchmark. Until issue 9 lands it says so rather than pretending to work. */
public final class BenchmarkMain {
    private BenchmarkMain() {}

    public static void main(String[] args) {
        System.err.println("benchmark: not yet available in this build (tracked in issue 9)");
        System.exit(2);
    }
}
