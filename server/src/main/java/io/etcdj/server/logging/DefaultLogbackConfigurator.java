package io.etcdj.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Optional;

/**
 * Logback's configuration until bin/etcd applies the logging flags ({@link LogbackSetup}), and for
 * programs embedding a member without a Logback file of their own: zap's JSON lines on standard
 * error, as etcd's default, at the level ETCDJ_LOG_LEVEL names (a system property or environment
 * variable; info when unset), with gRPC and Netty at warnings and above. Built in code, found by
 * Logback through META-INF/services, so that starting a member does not load Logback's XML
 * configurator and the JDK's XML parser (about 400 classes) for a configuration that LogbackSetup
 * replaces a moment later. A program's own configuration wins: with -Dlogback.configurationFile, a
 * logback-test.xml or a logback.xml on the class path this steps aside and Logback reads that file.
 */
public final class DefaultLogbackConfigurator extends ContextAwareBase implements Configurator {
    static final String LEVEL_VARIABLE = "ETCDJ_LOG_LEVEL";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null || onClassPath("logback-test.xml")
                || onClassPath("logback.xml")) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context, levelSetting());
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The default configuration; {@code level} as ETCDJ_LOG_LEVEL spells it, or null for info. */
    static void apply(LoggerContext context, String level) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        // as Logback's XML reads a level: an unknown name means debug
        root.setLevel(level == null ? Level.INFO : Level.toLevel(level));
        root.addAppender(LogbackSetup.appender(context, "stderr", false, Optional.empty()));
        context.getLogger("io.grpc").setLevel(Level.WARN);
        context.getLogger("io.netty").setLevel(Level.WARN);
    }

    private static String levelSetting() {
        String property = System.getProperty(LEVEL_VARIABLE);
        return property != null ? property : System.getenv(LEVEL_VARIABLE);
    }

    private static boolean onClassPath(String resource) {
        ClassLoader loader = DefaultLogbackConfigurator.class.getClassLoader();
        return (loader != null ? loader.getResource(resource) : ClassLoader.getSystemResource(resource)) != null;
    }
}
