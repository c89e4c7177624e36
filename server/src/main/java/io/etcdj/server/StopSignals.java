package io.etcdj.server;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop bin/etcd cleanly with exit status 0: the first one logs "received
 * signal; shutting down" and exits the JVM normally, whose shutdown hook closes the member
 * (stop accepting, let in-flight requests finish, hand leadership over, close WAL and backend).
 * Without this the JVM would run the same hook but exit with 128 + the signal number. Later
 * signals while stopping are ignored.
 */
final class StopSignals {
    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {}

    static void install() {
        AtomicBoolean stopping = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (stopping.compareAndSet(false, true)) {
                    log.atInfo().setMessage("received signal; shutting down")
                            .addKeyValue("signal", signal.getName().equals("TERM") ? "terminated" : "interrupt").log();
                    new Thread(() -> System.exit(0), "stop-on-signal").start();
                }
            });
        }
    }
}
