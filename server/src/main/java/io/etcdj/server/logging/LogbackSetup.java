package io.etcdj.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
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

    private LogbackSetup() {}

    public static void apply(LogSettings settings) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level(settings.level()));
        for (String output : settings.outputs()) {
            root.addAppender(appender(context, output, settings.console()));
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

    private static OutputStreamAppender<ILoggingEvent> appender(LoggerContext context, String output, boolean console) {
        OutputStreamAppender<ILoggingEvent> appender;
        switch (output) {
            // systemd captures a service's standard error into its journal
            case "default", "stderr", "systemd/journal" -> {
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
                FileAppender<ILoggingEvent> a = new FileAppender<>();
                a.setFile(output);
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
}
