package io.etcdj.server.v2.http;

import java.io.IOException;

/**
 * The reference etcd 3.4 (Debian's /usr/bin/etcd) started with --enable-v2 on 127.0.0.1 with a
 * temporary data dir, as the v2 differential tests use it: {@link io.etcdj.testsupport.ReferenceEtcd}
 * (healthy once constructed; {@link #close()} always stops it and deletes the dir) with its ports as
 * fields. Fails (never skips) when the binary is missing.
 */
final class ReferenceEtcd implements AutoCloseable {
    final int clientPort;
    final int peerPort;
    private final io.etcdj.testsupport.ReferenceEtcd etcd;

    ReferenceEtcd() throws IOException {
        this(io.etcdj.testsupport.ReferenceEtcd.builder());
    }

    /** The same flags given to another etcd binary (our bin/etcd, for process-level comparisons). */
    ReferenceEtcd(String bin) throws IOException {
        this(io.etcdj.testsupport.ReferenceEtcd.builder().launcher(bin));
    }

    private ReferenceEtcd(io.etcdj.testsupport.ReferenceEtcd.Builder member) throws IOException {
        etcd = member.flags("--enable-v2").start();
        clientPort = etcd.clientPort();
        peerPort = etcd.peerPort();
    }

    String clientUrl() { return etcd.clientUrl(); }
    String peerUrl() { return etcd.peerUrl(); }

    /** The reference etcdctl 3.4 (the tests' v2 client). */
    static String etcdctl() {
        return io.etcdj.testsupport.ReferenceEtcd.etcdctl().toString();
    }

    @Override
    public void close() {
        etcd.close();
    }
}
