package io.etcdj.server;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After start, publishes this member's name and client URLs through raft until it succeeds (the
 * first attempts fail while there is no leader), so that {@code member list} shows them.
 */
final class MemberPublisher {
    private static final Logger log = LoggerFactory.getLogger(MemberPublisher.class);

    private final RaftEtcdServer server;
    private final String name;
    private final List<String> clientUrls;
    private final CompletableFuture<Void> published = new CompletableFuture<>();
    private volatile boolean running;
    private Thread thread;

    MemberPublisher(RaftEtcdServer server, String name, List<String> clientUrls) {
        this.server = server;
        this.name = name;
        this.clientUrls = List.copyOf(clientUrls);
    }

    void start() {
        running = true;
        thread = new Thread(this::run, "publish-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Completes once this member's attributes are applied: it is part of the cluster and serving. */
    CompletableFuture<Void> published() {
        return published;
    }

    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void run() {
        while (running) {
            try {
                server.publishAttributes(name, clientUrls).get(10, TimeUnit.SECONDS);
                log.info("published local member {} {} to the cluster", name, clientUrls);
                published.complete(null);
                return;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                log.debug("publish failed, retrying: {}", e.toString());
                try {
                    Thread.sleep(200); // pause between attempts; each attempt itself waits on its future
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }
}
