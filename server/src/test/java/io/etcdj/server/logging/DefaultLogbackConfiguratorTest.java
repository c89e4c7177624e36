package io.etcdj.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scenario: a member starts (or a program embeds one) with no Logback file of its own. Its lines
 * are zap's JSON on standard error at info, or at the level ETCDJ_LOG_LEVEL names, gRPC's and
 * Netty's below warnings dropped; a program that brings its own logback-test.xml keeps it.
 */
class DefaultLogbackConfiguratorTest {
    @Test
    void writesZapJsonLinesToStandardErrorAtInfo() {
        LoggerContext context = new LoggerContext();
        DefaultLogbackConfigurator.apply(context, null);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("io.grpc").getLevel()).isEqualTo(Level.WARN);
        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(appenders::add);
        assertThat(appenders).singleElement().isInstanceOfSatisfying(ConsoleAppender.class, console -> {
            assertThat(console.isStarted()).isTrue();
            assertThat(console.getTarget()).isEqualTo("System.err");
            assertThat(((LayoutWrappingEncoder<?>) console.getEncoder()).getLayout()).isInstanceOf(ZapLayout.class);
        });
    }

    @Test
    void takesTheLevelFromEtcdjLogLevel() {
        LoggerContext context = new LoggerContext();
        DefaultLogbackConfigurator.apply(context, "debug");
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void leavesAProgramsOwnLogbackFileToLogback() {
        LoggerContext context = new LoggerContext(); // this module's tests bring logback-test.xml
        DefaultLogbackConfigurator configurator = new DefaultLogbackConfigurator();
        configurator.setContext(context);
        assertThat(configurator.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
    }
}
