package io.etcdj.server.gateway;

import io.etcdj.testsupport.FreePorts;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The reference etcd 3.4 on 127.0.0.1 with a temporary data dir, as the differential tests use it:
 * {@link io.etcdj.testsupport.ReferenceEtcd} (healthy once constructed; {@link #close()} ends it and
 * deletes the dir) with its client port as a field. Throws (the test fails, never skips) when the
 * binary is missing.
 */
public final class ReferenceEtcd implements AutoCloseable {
    public final int clientPort;
    private final io.etcdj.testsupport.ReferenceEtcd etcd;

    public ReferenceEtcd() throws IOException {
        this(new String[0]);
    }

    /** With {@code extraFlags} after the single-member flags (e.g. "--enable-v2", "--cors=..."). */
    public ReferenceEtcd(String... extraFlags) throws IOException {
        this(List.of(), extraFlags);
    }

    /**
     * Also serving clients on {@code moreClientUrls} (an https URL with the TLS flags among
     * {@code extraFlags}), beside the plain one that tells when it is ready.
     */
    public ReferenceEtcd(List<String> moreClientUrls, String... extraFlags) throws IOException {
        etcd = io.etcdj.testsupport.ReferenceEtcd.builder().moreClientUrls(moreClientUrls).flags(extraFlags)
                .timeout(Duration.ofSeconds(30)).start();
        clientPort = etcd.clientPort();
    }

    /** What it wrote to stdout and stderr so far. */
    public String log() {
        return etcd.log();
    }

    /** A free port on 127.0.0.1 ({@link FreePorts#onLoopback()}), e.g. for one of {@code moreClientUrls}. */
    public static int freePort() {
        return FreePorts.onLoopback();
    }

    @Override
    public void close() {
        etcd.close();
    }
}
