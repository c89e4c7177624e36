package io.etcdj.server.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * --experimental-bootstrap-defrag-threshold-megabytes (etcd 3.5): when a member opens its backend
 * and at least that many megabytes of it are free (allocated but not in use), it defragments the
 * backend before anything else runs; below the threshold it logs that it skipped. A threshold of
 * 0 (the default) turns the check off.
 */
public final class BootstrapDefragmentation {
    private static final Logger log = LoggerFactory.getLogger(BootstrapDefragmentation.class);

    private BootstrapDefragmentation() {}

    /** Defragments {@code backend} if it frees at least {@code thresholdMegabytes}; true if it did. */
    public static boolean maybeDefragment(ServerBackend backend, long thresholdMegabytes) {
        if (thresholdMegabytes <= 0) {
            return false;
        }
        return maybeDefragment(backend.sizeBytes(), backend.sizeInUseBytes(), thresholdMegabytes, backend::defragment);
    }

    /** The decision over given sizes, for tests. */
    static boolean maybeDefragment(long size, long sizeInUse, long thresholdMegabytes, Runnable defragment) {
        long thresholdBytes = thresholdMegabytes * 1024 * 1024;
        long freeable = size - sizeInUse;
        if (freeable < thresholdBytes) {
            log.atInfo().setMessage("Skipping defragmentation").addKeyValue("current-db-size-bytes", size)
                    .addKeyValue("current-db-size-in-use-bytes", sizeInUse)
                    .addKeyValue("experimental-bootstrap-defrag-threshold-bytes", thresholdBytes).log();
            return false;
        }
        log.atInfo().setMessage("defragmenting the backend at bootstrap").addKeyValue("current-db-size-bytes", size)
                .addKeyValue("current-db-size-in-use-bytes", sizeInUse)
                .addKeyValue("experimental-bootstrap-defrag-threshold-bytes", thresholdBytes).log();
        defragment.run();
        return true;
    }
}
