package io.etcdj.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * Writes each Logback event as zap does: level, ts, caller, msg, then the event's SLF4J key-value
 * pairs as fields (in the order given) and, for a throwable, an "error" field with its message
 * and a "stacktrace" field. The caller is {@code <last package>/<File>.java:<line>}, like zap's
 * {@code package/file.go:line}.
 */
public final class ZapLayout extends LayoutBase<ILoggingEvent> {
    private final boolean console;

    /** zap's JSON encoding (the default configuration's form, see DefaultLogbackConfigurator). */
    public ZapLayout() {
        this(false);
    }

    /** @param console zap's console encoding instead of JSON */
    public ZapLayout(boolean console) {
        this.console = console;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        List<Map.Entry<String, ?>> fields = new ArrayList<>();
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair p : pairs) {
                fields.add(new AbstractMap.SimpleImmutableEntry<>(p.key, p.value));
            }
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            fields.add(Map.entry("error", String.valueOf(thrown.getMessage())));
            fields.add(Map.entry("stacktrace", ThrowableProxyUtil.asString(thrown)));
        }
        String level = levelName(event.getLevel());
        Instant ts = Instant.ofEpochMilli(event.getTimeStamp());
        String caller = caller(event);
        String msg = event.getFormattedMessage();
        return (console ? ZapJson.consoleLine(level, ts, caller, msg, fields)
                : ZapJson.line(level, ts, caller, msg, fields)) + CoreConstants.LINE_SEPARATOR;
    }

    static String levelName(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> "error";
            case Level.WARN_INT -> "warn";
            case Level.INFO_INT -> "info";
            default -> "debug";
        };
    }

    /** zap's caller of an event: {@code <last package>/<File>.java:<line>}. */
    static String caller(ILoggingEvent event) {
        StackTraceElement[] callers = event.getCallerData();
        if (callers == null || callers.length == 0) {
            return shortName(event.getLoggerName());
        }
        StackTraceElement c = callers[0];
        String cls = c.getClassName();
        int lastDot = cls.lastIndexOf('.');
        String pkg = lastDot < 0 ? "" : cls.substring(0, lastDot);
        String lastPkg = pkg.substring(pkg.lastIndexOf('.') + 1);
        return (lastPkg.isEmpty() ? "" : lastPkg + "/") + c.getFileName() + ":" + c.getLineNumber();
    }

    private static String shortName(String logger) {
        int lastDot = logger.lastIndexOf('.');
        return lastDot < 0 ? logger : logger.substring(lastDot + 1);
    }
}
