package io.etcdj.mvcc.watch;

/** Reasons a watch create is refused (sent as {@code cancel_reason} of the created response). */
public final class WatchErrors {
    private WatchErrors() {
    }

    public static final String EMPTY_RANGE = "mvcc: watcher range is empty";
    public static final String DUPLICATE_ID = "mvcc: duplicate watch ID provided on the WatchStream";
}
