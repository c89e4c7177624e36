package io.etcdj.server.gateway;

import io.etcdj.testsupport.Await;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A streamed gateway answer (watch, observe) read line by line in the background, so a test can
 * wait for what it expects with a deadline instead of blocking on a read. Each line is one JSON
 * message; {@link #ended()} once the server closed the stream (or the connection broke).
 */
final class StreamedLines implements Closeable {
    private final RawHttp http;
    private final List<String> lines = new ArrayList<>();
    private volatile boolean ended;

    private StreamedLines(RawHttp http) {
        this.http = http;
        Thread reader = new Thread(this::readAll, "streamed-lines");
        reader.setDaemon(true);
        reader.start();
    }

    /** Posts {@code body} to {@code path} and starts reading the answer once its head has come. */
    static StreamedLines open(int port, String path, String body, List<Map.Entry<String, String>> headers)
            throws IOException {
        return new StreamedLines(RawHttp.open(port, "POST", path, headers, body));
    }

    private void readAll() {
        try {
            String line;
            while ((line = http.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                }
            }
        } catch (IOException closedOrBroken) {
            // the stream is over either way
        }
        ended = true;
    }

    int status() {
        return Integer.parseInt(http.statusLine.split(" ")[1]);
    }

    String contentType() {
        return http.header("Content-Type");
    }

    /** What came so far. */
    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    boolean ended() {
        return ended;
    }

    /** Waits until what came satisfies {@code enough} or the stream ended; false when {@code timeout} passed first. */
    boolean awaitLines(Duration timeout, Predicate<List<String>> enough) {
        try {
            Await.until(timeout, "streamed lines", () -> ended || enough.test(lines()));
            return true;
        } catch (AssertionError timedOut) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
