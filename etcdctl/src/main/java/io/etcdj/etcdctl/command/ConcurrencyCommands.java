package io.etcdj.etcdctl.command;

import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.cli.ExitException;
import io.etcdj.etcdctl.cli.Invocation;
import io.etcdj.etcdctl.client.EtcdClient;
import io.etcdj.etcdctl.client.EtcdError;
import io.etcdj.etcdctl.client.LeaseSession;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * lock and elect, on clientv3/concurrency's recipes ({@link MutexRecipe}): hold the lock or
 * leadership until SIGINT/SIGTERM (or run a command while holding the lock); elect -l observes
 * the leader ({@link ElectionObserver}) until SIGINT/SIGTERM.
 */
final class ConcurrencyCommands {
    private static final RuntimeException OBSERVER_LOST = new RuntimeException("elect: observer lost", null, false, false) {};
    private ConcurrencyCommands() {}

    static Command lock() {
        Command c = new Command("lock <lockname> [exec-command arg1 arg2 ...]", "Acquires a named lock",
                ConcurrencyCommands::lock);
        c.flags().integer("ttl", 10, "timeout for session");
        return c;
    }

    static Command elect() {
        Command c = new Command("elect <election-name> [proposal]", "Observes and participates in leader election",
                ConcurrencyCommands::elect);
        c.flags().bool("listen", "l", false, "observation mode");
        return c;
    }

    /** Counts down on SIGINT or SIGTERM. */
    private static CountDownLatch signals() {
        CountDownLatch latch = new CountDownLatch(1);
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> latch.countDown());
            } catch (IllegalArgumentException e) {
                // signal not available here
            }
        }
        return latch;
    }

    private static void awaitSignalOrExpiry(Session s, LeaseSession session, CountDownLatch sig, String expired)
            throws InterruptedException {
        while (!sig.await(200, TimeUnit.MILLISECONDS)) {
            if (session.isDone()) {
                throw s.fail(ExitCodes.ERROR, expired);
            }
        }
    }

    private static void lock(Invocation inv) throws Exception {
        if (inv.args().isEmpty()) {
            throw inv.fail(ExitCodes.BAD_ARGS, "lock takes a lock name argument and an optional command to execute");
        }
        Session s = new Session(inv);
        EtcdClient c = s.client();
        CountDownLatch sig = signals();
        try {
            LeaseSession session = new LeaseSession(c, inv.int64("ttl"));
            MutexRecipe m = new MutexRecipe(c, inv.args().get(0), session.lease());
            m.acquire(session.lease(), "", false);
            List<String> cmd = inv.args().subList(1, inv.args().size());
            if (!cmd.isEmpty()) {
                int code = run(inv, cmd, Map.of("ETCD_LOCK_KEY", m.key(),
                        "ETCD_LOCK_REV", Long.toString(m.header().getRevision())));
                m.release();
                if (code != 0) {
                    throw s.fail(ExitCodes.ERROR, "exit status " + code);
                }
                return;
            }
            RangeResponse r = c.unary(x -> x.kvNoTimeout().range(RangeRequest.newBuilder()
                    .setKey(KvRequests.bytes(m.key())).build()));
            if (r.getKvsCount() == 0) {
                throw s.fail(ExitCodes.ERROR, "lock lost on init");
            }
            s.print(() -> s.printer().get(r));
            s.out().stream().flush();
            awaitSignalOrExpiry(s, session, sig, "session expired");
            m.release();
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        }
    }

    private static int run(Invocation inv, List<String> cmd, Map<String, String> extraEnv) {
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().clear();
        pb.environment().putAll(inv.console().env());
        pb.environment().putAll(extraEnv);
        boolean inherit = inv.console().out() == System.out;
        if (!inherit) {
            pb.redirectOutput(ProcessBuilder.Redirect.PIPE).redirectError(ProcessBuilder.Redirect.PIPE);
        }
        try {
            Process p = pb.start();
            if (!inherit) {
                p.getInputStream().transferTo(inv.console().out());
                p.getErrorStream().transferTo(inv.console().err());
            }
            return p.waitFor();
        } catch (IOException e) {
            throw inv.fail(ExitCodes.ERROR, "exec: \"" + cmd.get(0) + "\": executable file not found in $PATH");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExitException(ExitCodes.INTERRUPTED);
        }
    }

    /**
     * Prints the leader and its proclamations until a signal (exit 0) or until observing fails
     * ("elect: observer lost"). Like etcdctl, it opens a session lease first and leaves it to expire.
     */
    private static void observe(Session s, EtcdClient c, String election) throws Exception {
        CountDownLatch sig = signals();
        try {
            new LeaseSession(c, 60);
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        }
        // set when observing ended on its own: LOST, or what a print threw (a refused format exits 4)
        AtomicReference<RuntimeException> ended = new AtomicReference<>();
        Thread observer = new Thread(() -> {
            RuntimeException why = OBSERVER_LOST;
            try {
                new ElectionObserver(c, election, r -> {
                    s.print(() -> s.printer().get(r));
                    s.out().stream().flush();
                }).run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                why = e;
            }
            ended.set(why);
            sig.countDown();
        }, "elect-observer");
        observer.setDaemon(true);
        observer.start();
        sig.await();
        RuntimeException why = ended.get();
        if (why == OBSERVER_LOST) {
            throw s.fail(ExitCodes.ERROR, "elect: observer lost");
        } else if (why != null) {
            throw why;
        }
    }

    private static void elect(Invocation inv) throws Exception {
        List<String> args = inv.args();
        if (args.size() != 1 && args.size() != 2) {
            throw inv.fail(ExitCodes.BAD_ARGS, "elect takes one election name argument and an optional proposal argument");
        }
        boolean listen = inv.bool("listen");
        Session s = new Session(inv);
        EtcdClient c = s.client();
        if (args.size() == 1) {
            if (!listen) {
                throw s.fail(ExitCodes.BAD_ARGS, "no proposal argument but -l not set");
            }
            observe(s, c, args.get(0));
            return;
        }
        if (listen) {
            throw s.fail(ExitCodes.BAD_ARGS, "proposal given but -l is set");
        }
        CountDownLatch sig = signals();
        try {
            LeaseSession session = new LeaseSession(c, 60);
            MutexRecipe e = new MutexRecipe(c, args.get(0), session.lease());
            e.acquire(session.lease(), args.get(1), true);
            RangeResponse r = c.unary(x -> x.kvNoTimeout().range(RangeRequest.newBuilder()
                    .setKey(KvRequests.bytes(e.key())).build()));
            s.print(() -> s.printer().get(r));
            s.out().stream().flush();
            awaitSignalOrExpiry(s, session, sig, "elect: session expired");
            e.release();
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        }
    }
}
