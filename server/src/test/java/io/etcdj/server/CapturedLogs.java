package io.etcdj.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * Collects what the members of a test log at INFO and above ({@code @RegisterExtension}), so a
 * test can wait for the line an operator would search for and look at its fields.
 */
public final class CapturedLogs implements BeforeEachCallback, AfterEachCallback {
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final Logger etcdj = (Logger) LoggerFactory.getLogger("io.etcdj");
    private Level previousLevel;

    @Override
    public void beforeEach(ExtensionContext context) {
        previousLevel = etcdj.getLevel();
        etcdj.setLevel(Level.INFO);
        events.start();
        etcdj.addAppender(events);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        etcdj.detachAppender(events);
        etcdj.setLevel(previousLevel);
    }

    /** The first captured event that matches, waiting for it up to {@code timeout}. */
    public ILoggingEvent await(Duration timeout, String what, Predicate<ILoggingEvent> matches) {
        ILoggingEvent[] found = new ILoggingEvent[1];
        EtcdCluster.awaitCondition(timeout, what, () -> {
            List<ILoggingEvent> seen;
            synchronized (events) { // AppenderBase appends holding the appender's lock
                seen = List.copyOf(events.list);
            }
            for (ILoggingEvent e : seen) {
                if (matches.test(e)) {
                    found[0] = e;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** How many captured events match, now. */
    public long count(Predicate<ILoggingEvent> matches) {
        synchronized (events) {
            return events.list.stream().filter(matches).count();
        }
    }

    /** An event's key-value fields (zap's fields), by key. */
    public static Map<String, Object> fields(ILoggingEvent e) {
        Map<String, Object> out = new HashMap<>();
        List<KeyValuePair> pairs = e.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair p : pairs) {
                out.put(p.key, p.value);
            }
        }
        return out;
    }
}
