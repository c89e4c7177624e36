package io.etcdj.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Scenario: an application embeds etcd and logs through its own SLF4J configuration. It may turn
 * the members' verbosity up or down with --log-level, as with bin/etcd, and gets the level it had
 * back when the cluster closes; the flags that would say where and how lines are written are its
 * logging configuration's business and are refused with a message saying so.
 */
class EmbeddedLoggingTest {
    private final Logger etcdLogger =
            ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(EmbeddedLogLevel.LOGGER);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    @BeforeEach
    void capture() {
        captured.setContext(etcdLogger.getLoggerContext());
        captured.start();
        etcdLogger.addAppender(captured);
    }

    @AfterEach
    void release() {
        etcdLogger.detachAppender(captured);
        captured.stop();
    }

    private static EmbeddedEtcdCluster.Builder quick() {
        return EmbeddedEtcdCluster.builder().flag("heartbeat-interval", "10").flag("election-timeout", "100");
    }

    @Test
    void logLevelSetsTheMembersVerbosityUntilTheClusterCloses() {
        Level before = etcdLogger.getLevel();
        try (EmbeddedEtcdCluster etcd = quick().start()) {
            assertThat(messages(Level.INFO)).as("a member's info lines reach the host's log by default")
                    .anyMatch(m -> m.contains("became leader at term"));
        }
        captured.list.clear();

        try (EmbeddedEtcdCluster etcd = quick().flag("log-level", "warn").start()) {
            assertThat(etcdLogger.getLevel()).isEqualTo(Level.WARN);
            assertThat(messages(Level.INFO)).as("info lines under --log-level=warn").isEmpty();
        }
        assertThat(etcdLogger.getLevel()).as("the level in force before the cluster started").isEqualTo(before);

        try (EmbeddedEtcdCluster etcd = quick().flag("--log-level", "debug").start()) {
            assertThat(etcdLogger.getLevel()).isEqualTo(Level.DEBUG);
        }
        assertThat(etcdLogger.getLevel()).isEqualTo(before);
    }

    @Test
    void whereAndHowLinesAreWrittenIsTheHostsConfiguration() {
        for (String flag : List.of("log-outputs", "--log-format", "enable-log-rotation", "log-rotation-config-json")) {
            assertThatThrownBy(() -> EmbeddedEtcdCluster.builder().flag(flag, "stderr"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not for an embedded member: it logs through the host application's SLF4J");
        }
        assertThatThrownBy(() -> quick().flag("log-level", "loud").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unrecognized level: \"loud\"");
        assertThatThrownBy(() -> quick().flag("logger", "capnslog").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--logger=capnslog is removed in v3.5");
        Level before = etcdLogger.getLevel();
        assertThatThrownBy(() -> quick().flag("log-level", "error").flag("snapshot-count", "lots").start())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(etcdLogger.getLevel()).as("a cluster that did not start leaves the level alone").isEqualTo(before);
        try (EmbeddedEtcdCluster etcd = quick().flag("logger", "zap").start()) {
            assertThat(etcd.fatalErrors()).isEmpty();
        }
    }

    private List<String> messages(Level level) {
        return captured.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
