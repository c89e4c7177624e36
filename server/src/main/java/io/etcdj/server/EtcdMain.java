package io.etcdj.server;

/** Entry point of bin/etcd. Until issue 4 lands it says so rather than pretending to work. */
public final class EtcdMain {
    private EtcdMain() {}

    public static void main(String[] args) {
        System.err.println("etcd: not yet available in this build (tracked in issue 4)");
        System.exit(2);
    }
}
