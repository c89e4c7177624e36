package io.etcdj.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Replaces whatever Logback configured from its files with what the logging flags say: one
 * appender per --log-outputs target, every one writing zap's lines (see {@link ZapLayout}), and
 * the root level from --log-level (zap's dpanic, panic and fatal keep only errors, Logback's
 * highest level). Libraries' chatter (gRPC, Netty) is kept at warnings and above.
 */
public final class LogbackSetup {
    /** Held so the JDK logging level set on gRPC's loggers is not garbage-collected away. */
    private static final java.util.logging.Logger GRPC_JUL = java.util.logging.Logger.getLogger("io.grpc");

    /** How often a rotated file's size is compared with maxsize. */
    private static final long CHECK_SIZE_EVERY_MILLIS = 100;

    private LogbackSetup() {}

    public static void apply(LogSettings settings) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level(settings.level()));
        for (String output : settings.outputs()) {
            if (output.equals("systemd/journal")) {
                root.addAppender(journal(context));
            } else {
                root.addAppender(appender(context, output, settings.console(), settings.rotation()));
            }
        }
        context.getLogger("io.grpc").setLevel(Level.WARN);
        context.getLogger("io.netty").setLevel(Level.WARN);
        GRPC_JUL.setLevel(java.util.logging.Level.WARNING);
    }

    static Level level(String zapLevel) {
        return switch (zapLevel) {
            case "debug" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "warn" -> Level.WARN;
            default -> Level.ERROR; // error, dpanic, panic, fatal
        };
    }

    static OutputStreamAppender<ILoggingEvent> appender(LoggerContext context, String output, boolean console,
                                                                Optional<LogRotation> rotation) {
        OutputStreamAppender<ILoggingEvent> appender;
        switch (output) {
            case "default", "stderr" -> {
                ConsoleAppender<ILoggingEvent> a = new ConsoleAppender<>();
                a.setTarget("System.err");
                appender = a;
            }
            case "stdout" -> {
                ConsoleAppender<ILoggingEvent> a = new ConsoleAppender<>();
                a.setTarget("System.out");
                appender = a;
            }
            default -> {
                FileAppender<ILoggingEvent> a;
                if (rotation.isPresent()) {
                    a = rolling(context, output, rotation.get()); // its file is set before its policies
                } else {
                    a = new FileAppender<>();
                    a.setFile(output);
                }
                a.setAppend(true);
                appender = a;
            }
        }
        appender.setName(output);
        appender.setContext(context);
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        ZapLayout layout = new ZapLayout(console);
        layout.setContext(context);
        layout.start();
        encoder.setLayout(layout);
        encoder.setContext(context);
        encoder.start();
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }

    /** journald's native protocol; the entries it cannot take go to standard error. */
    private static JournaldAppender journal(LoggerContext context) {
        JournaldAppender a = new JournaldAppender(JournaldAppender.JOURNAL_SOCKET, System.err);
        a.setName("systemd/journal");
        a.setContext(context);
        a.start();
        return a;
    }

    /** A file appender that rotates {@code file} as {@code rotation} says (policies started here). */
    private static RollingFileAppender<ILoggingEvent> rolling(LoggerContext context, String file, LogRotation rotation) {
        RollingFileAppender<ILoggingEvent> a = new RollingFileAppender<>();
        a.setContext(context);
        a.setFile(file);
        LumberjackRollingPolicy renaming = new LumberjackRollingPolicy(rotation, Clock.systemUTC(),
                ZoneId.systemDefault());
        renaming.setContext(context);
        renaming.setParent(a);
        renaming.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> size = new SizeBasedTriggeringPolicy<>();
        size.setContext(context);
        size.setMaxFileSize(FileSize.valueOf(rotation.maxSizeMegabytes() + "MB"));
        // Logback looks at the size once a minute by default; etcd's logger on every write
        size.setCheckIncrement(Duration.buildByMilliseconds(CHECK_SIZE_EVERY_MILLIS));
        size.start();
        a.setRollingPolicy(renaming);
        a.setTriggeringPolicy(size);
        return a;
    }
}
