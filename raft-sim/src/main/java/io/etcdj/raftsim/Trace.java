package io.etcdj.raftsim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The record of what a seed did. In tail mode it keeps only the last {@code tailSize} events
 * (described lazily, when a failure is reported); in full mode it describes every event as it
 * happens and hands the line to a sink (printing, or collecting for the determinism test).
 */
final class Trace {
    private final Event[] ring;
    private final Consumer<String> fullSink;
    private long recorded;

    private Trace(int tailSize, Consumer<String> fullSink) {
        this.ring = new Event[Math.max(1, tailSize)];
        this.fullSink = fullSink;
    }

    static Trace tail(int tailSize) {
        return new Trace(tailSize, null);
    }

    static Trace full(int tailSize, Consumer<String> sink) {
        return new Trace(tailSize, sink);
    }

    void record(Event event) {
        ring[(int) (recorded % ring.length)] = event;
        recorded++;
        if (fullSink != null) {
            fullSink.accept(line(event));
        }
    }

    /** A free-form line (setup, phase changes, violations) that is not an event. */
    void note(long time, String text) {
        Event note = new Event() {
            @Override
            void run() {}

            @Override
            String describe() {
                return "-- " + text;
            }
        };
        note.time = time;
        record(note);
    }

    /** The last events recorded, oldest first. */
    List<String> tailLines() {
        List<String> lines = new ArrayList<>();
        long from = Math.max(0, recorded - ring.length);
        for (long i = from; i < recorded; i++) {
            lines.add(line(ring[(int) (i % ring.length)]));
        }
        return lines;
    }

    private static String line(Event event) {
        return "t=" + event.time + " " + event.describe();
    }
}
