package io.etcdj.server.proxy;

import java.util.concurrent.CountDownLatch;

/** What both proxy commands share as processes: endpoint spelling and running until SIGTERM. */
public final class ProxyProcess {
    private ProxyProcess() {}

    /** "http://h:p" or "https://h:p" becomes "h:p"; other spellings are kept. */
    public static String stripScheme(String endpoint) {
        int at = endpoint.indexOf("://");
        String s = at >= 0 ? endpoint.substring(at + 3) : endpoint;
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** Blocks until the JVM is asked to stop, then closes {@code running}; returns exit status 0. */
    public static int runUntilStopped(AutoCloseable running) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                // stopping anyway
            }
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
