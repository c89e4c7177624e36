package io.etcdj.etcdutl;

/** Entry point of bin/etcdutl. Until issue 5 lands it says so rather than pretending to work. */
public final class EtcdutlMain {
    private EtcdutlMain() {}

    public static void main(String[] args) {
        System.err.println("etcdutl: not yet available in this build (tracked in issue 5)");
        System.exit(2);
    }
}
