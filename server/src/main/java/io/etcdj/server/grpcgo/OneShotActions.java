package io.etcdj.server.grpcgo;

import java.util.ArrayList;
import java.util.List;

/**
 * Actions waiting for one event of a call (its cancellation, its deadline). Invariant: every
 * action added and not withdrawn runs exactly once if the event happens (at once, on the adding
 * thread, if it already has), and never otherwise; {@link #fire} runs them on its own thread.
 */
public final class OneShotActions {
    private static final Runnable NOTHING_TO_WITHDRAW = () -> { };

    private final List<Runnable> actions = new ArrayList<>(); // guarded by this
    private boolean fired; // guarded by this

    /** Runs {@code action} when the event happens; returns a handle that withdraws it. */
    public Runnable add(Runnable action) {
        synchronized (this) {
            if (!fired) {
                actions.add(action);
                return () -> withdraw(action);
            }
        }
        action.run();
        return NOTHING_TO_WITHDRAW;
    }

    private synchronized void withdraw(Runnable action) {
        actions.remove(action);
    }

    /** The event happened: runs the actions added so far (nothing the second time). */
    public void fire() {
        List<Runnable> run;
        synchronized (this) {
            if (fired) {
                return;
            }
            fired = true;
            run = List.copyOf(actions);
            actions.clear();
        }
        run.forEach(Runnable::run);
    }

    public synchronized boolean fired() {
        return fired;
    }
}
