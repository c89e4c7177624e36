package io.etcdj.embed;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * --log-level for embedded members. An embedded member logs through the host application's SLF4J,
 * so the host's logging configuration decides where and how its lines go; the one logging flag an
 * embedded cluster applies is the level, set on the {@code io.etcdj} logger (every member class
 * logs under it) when Logback is SLF4J's backend. That logger is the JVM's, shared by every
 * embedded cluster: the cluster started last sets it, and each cluster, when closed, puts back the
 * level that was in force before it started.
 */
final class EmbeddedLogLevel {
    /** The logger every member's classes log under. */
    static final String LOGGER = "io.etcdj";

    private final Logger logger;
    /** The level set on {@link #LOGGER} before this cluster started; null when it inherited one. */
    private final Level previous;

    private EmbeddedLogLevel(Logger logger, Level previous) {
        this.logger = logger;
        this.previous = previous;
    }

    /**
     * Sets {@code zapLevel} (etcd's debug, info, warn, error, dpanic, panic, fatal; the last three
     * keep errors only) on the io.etcdj logger, or nothing when no level was asked for.
     *
     * @throws IllegalArgumentException when SLF4J's backend is not Logback, whose levels it sets
     */
    static Optional<EmbeddedLogLevel> apply(Optional<String> zapLevel) {
        if (zapLevel.isEmpty()) {
            return Optional.empty();
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            throw new IllegalArgumentException("--log-level is applied to the " + LOGGER + " loggers only when Logback is "
                    + "SLF4J's backend (here it is " + factory.getClass().getName() + "); set their level in the "
                    + "host application's logging configuration instead");
        }
        Logger logger = context.getLogger(LOGGER);
        EmbeddedLogLevel applied = new EmbeddedLogLevel(logger, logger.getLevel());
        logger.setLevel(level(zapLevel.get()));
        return Optional.of(applied);
    }

    /** Puts back the level {@link #LOGGER} had before. */
    void restore() {
        logger.setLevel(previous);
    }

    private static Level level(String zapLevel) {
        return switch (zapLevel.toLowerCase(Locale.ROOT)) {
            case "debug" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "warn" -> Level.WARN;
            default -> Level.ERROR; // error, dpanic, panic, fatal: Logback has nothing above error
        };
    }
}
