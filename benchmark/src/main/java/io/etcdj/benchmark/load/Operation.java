package io.etcdj.benchmark.load;

/**
 * One request of a closed-loop client. {@link #start} must not block: it sends the request and
 * returns; exactly one of {@link Completion#ok} / {@link Completion#failed} is called later (or
 * from within {@code start}), on any thread.
 */
@FunctionalInterface
public interface Operation {
    void start(long seq, Completion done);

    /** How a request ends; called exactly once per {@link Operation#start}. */
    interface Completion {
        /** Success, counted in report {@code report} (0 unless the command keeps several). */
        void ok(int report);

        void failed(int report, Throwable error);

        default void ok() {
            ok(0);
        }

        default void failed(Throwable error) {
            failed(0, error);
        }

        /** Success when {@code error} is null, else failure: the shape of a gRPC callback. */
        default void complete(Throwable error) {
            if (error == null) {
                ok(0);
            } else {
                failed(0, error);
            }
        }
    }
}
