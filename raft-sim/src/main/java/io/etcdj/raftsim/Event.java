package io.etcdj.raftsim;

/**
 * One thing that happens at one instant of simulated time. Events are ordered by (time, seq),
 * seq being the order in which they were scheduled, so the order is total and deterministic.
 * An event is run at most once; {@link #describe()} may be called any time after it ran (for the
 * trace), so everything it prints must be fixed by then.
 */
abstract class Event {
    long time;
    long seq;

    abstract void run();

    abstract String describe();
}
