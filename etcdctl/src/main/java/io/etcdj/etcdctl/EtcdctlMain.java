package io.etcdj.etcdctl;

/** Entry point of bin/etcdctl. Until issue 5 lands it says so rather than pretending to work. */
public final class EtcdctlMain {
    private EtcdctlMain() {}

    public static void main(String[] args) {
        System.err.println("etcdctl: not yet available in this build (tracked in issue 5)");
        System.exit(2);
    }
}
