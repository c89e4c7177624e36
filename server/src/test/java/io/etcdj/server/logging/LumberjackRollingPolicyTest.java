package io.etcdj.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: an operator runs etcd with --enable-log-rotation and a maxage, maxbackups, compress
 * and localtime, and looks at the log directory after a rotation: the old file carries the
 * rotation time in its name (UTC unless localtime), old files past maxage days are gone, and
 * other files are left alone.
 */
class LumberjackRollingPolicyTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:34:56.789Z");

    @TempDir
    Path dir;

    @Test
    void aRotationNamesTheOldFileByTheTimeInUtcAndDeletesFilesPastMaxage() throws Exception {
        Path active = dir.resolve("etcd.log");
        Files.writeString(active, "current\n");
        Files.writeString(dir.resolve("etcd-2026-12-01T00-00-00.000.log"), "seven days old\n");
        Files.writeString(dir.resolve("etcd-2026-12-05T00-00-00.000.log.gz"), "two days old\n");
        Files.writeString(dir.resolve("etcd-notes.log"), "not a rotated file\n");
        LumberjackRollingPolicy policy = policy(active, new LogRotation(100, 0, 3, false, false));

        policy.rollover();

        assertThat(Files.readString(dir.resolve("etcd-2026-12-07T12-34-56.789.log"))).isEqualTo("current\n");
        assertThat(active).doesNotExist();
        assertThat(dir.resolve("etcd-2026-12-01T00-00-00.000.log")).as("older than maxage=3 days").doesNotExist();
        assertThat(dir.resolve("etcd-2026-12-05T00-00-00.000.log.gz")).exists();
        assertThat(dir.resolve("etcd-notes.log")).exists();
    }

    @Test
    void compressedOldFilesCountTowardsMaxbackupsAndLocaltimeNamesThemInTheMachinesZone() throws Exception {
        Path active = dir.resolve("member.log");
        Files.writeString(active, "current\n");
        Files.writeString(dir.resolve("member-2026-12-06T00-00-00.000.log.gz"), "newer\n");
        Files.writeString(dir.resolve("member-2026-12-04T00-00-00.000.log.gz"), "older\n");
        LumberjackRollingPolicy policy = policy(active, new LogRotation(100, 2, 0, true, true));

        policy.rollover();

        Path rotated = dir.resolve("member-2026-12-07T21-34-56.789.log.gz"); // 12:34:56.789 UTC in Tokyo
        try (InputStream in = new GZIPInputStream(Files.newInputStream(rotated))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("current\n");
        }
        assertThat(dir.resolve("member-2026-12-06T00-00-00.000.log.gz")).exists();
        assertThat(dir.resolve("member-2026-12-04T00-00-00.000.log.gz")).as("beyond maxbackups=2").doesNotExist();
    }

    @Test
    void etcdsDefaultsKeepEveryOldFile() {
        LogRotation defaults = LogRotation.fromJson("{}");
        assertThat(defaults).isEqualTo(new LogRotation(100, 0, 0, false, false));
        assertThat(LogRotation.fromJson("{\"maxsize\": 5, \"maxage\": 7, \"maxbackups\": 3, \"localtime\": true,"
                + " \"compress\": true}")).isEqualTo(new LogRotation(5, 3, 7, true, true));
    }

    private static LumberjackRollingPolicy policy(Path active, LogRotation rotation) {
        LoggerContext context = new LoggerContext();
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setFile(active.toString());
        LumberjackRollingPolicy policy = new LumberjackRollingPolicy(rotation, Clock.fixed(NOW, ZoneOffset.UTC),
                ZoneId.of("Asia/Tokyo"));
        policy.setContext(context);
        policy.setParent(appender);
        policy.start();
        return policy;
    }
}
