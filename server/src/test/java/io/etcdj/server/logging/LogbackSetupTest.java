package io.etcdj.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario: an operator starts etcd with --log-outputs=<file> and searches the file. Every line
 * is one JSON object with zap's level, ts, caller and msg and the call's structured fields; the
 * level flag filters; --log-format=console gives zap's tab-separated lines; a password or token
 * handed to a log call never reaches the file.
 */
class LogbackSetupTest {
    private static final Logger log = LoggerFactory.getLogger(LogbackSetupTest.class);

    @TempDir
    Path dir;

    @AfterEach
    void restoreTestLogging() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ContextInitializer(context).autoConfig();
    }

    @Test
    void jsonLinesCarryZapsFieldsAndTheCallsStructuredFields() throws Exception {
        Path file = dir.resolve("etcd.log");
        LogbackSetup.apply(new LogSettings("info", List.of(file.toString()), "json"));

        log.debug("not at info");
        log.atInfo().setMessage("added member").addKeyValue("added-peer-id", "8e9e05c52164694d")
                .addKeyValue("added-peer-peer-urls", List.of("http://127.0.0.1:2380")).addKeyValue("term", 7).log();
        log.warn("slow fdatasync");

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        JsonObject added = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertThat(List.copyOf(added.keySet())).containsExactly("level", "ts", "caller", "msg", "added-peer-id",
                "added-peer-peer-urls", "term");
        assertThat(added.get("level").getAsString()).isEqualTo("info");
        assertThat(added.get("ts").getAsString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(added.get("caller").getAsString()).matches("logging/LogbackSetupTest\\.java:\\d+");
        assertThat(added.get("msg").getAsString()).isEqualTo("added member");
        assertThat(added.get("added-peer-peer-urls").getAsJsonArray().get(0).getAsString())
                .isEqualTo("http://127.0.0.1:2380");
        assertThat(added.get("term").getAsInt()).isEqualTo(7);
        assertThat(JsonParser.parseString(lines.get(1)).getAsJsonObject().get("level").getAsString()).isEqualTo("warn");
    }

    @Test
    void theLevelFlagFiltersAndPanicAndFatalKeepOnlyErrors() throws Exception {
        Path file = dir.resolve("etcd.log");
        LogbackSetup.apply(new LogSettings("fatal", List.of(file.toString()), "json"));
        log.warn("dropped");
        log.error("kept");
        assertThat(Files.readAllLines(file)).singleElement().asString().contains("\"msg\":\"kept\"");

        restoreTestLogging();
        Path debug = dir.resolve("debug.log");
        LogbackSetup.apply(new LogSettings("debug", List.of(debug.toString()), "json"));
        log.debug("shown");
        assertThat(Files.readString(debug)).contains("\"level\":\"debug\"");
    }

    @Test
    void consoleFormatIsTabSeparatedWithTheFieldsAsJson() throws Exception {
        Path file = dir.resolve("etcd.log");
        LogbackSetup.apply(new LogSettings("info", List.of(file.toString()), "console"));
        log.atInfo().setMessage("leader changed").addKeyValue("term", 3).log();
        String[] parts = Files.readAllLines(file).get(0).split("\t");
        assertThat(parts).hasSize(5);
        assertThat(parts[1]).isEqualTo("info");
        assertThat(parts[3]).isEqualTo("leader changed");
        assertThat(parts[4]).isEqualTo("{\"term\":3}");
    }

    @Test
    void withRotationTheFileIsRenamedOnceItPassesMaxsizeKeepingMaxbackups() throws Exception {
        Path file = dir.resolve("etcd.log");
        LogRotation rotation = LogRotation.fromJson(
                "{\"maxsize\": 1, \"maxage\": 0, \"maxbackups\": 2, \"localtime\": false, \"compress\": false}");
        assertThat(rotation).isEqualTo(new LogRotation(1, 2, 0, false, false));
        LogbackSetup.apply(new LogSettings("info", List.of(file.toString()), "json", Optional.of(rotation)));

        // about 1 KB a line: log until two old files exist, then until a third rotation replaced the oldest
        List<Path> firstTwo = logUntil(2, List.of());
        List<Path> afterThird = logUntil(2, firstTwo);
        assertThat(afterThird).as("maxbackups=2 keeps the two newest old files").hasSize(2)
                .doesNotContain(firstTwo.get(0)).contains(firstTwo.get(1));
        for (Path old : afterThird) {
            assertThat(old.getFileName().toString()).matches("etcd-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.\\d{3}\\.log");
            assertThat(Files.size(old)).isGreaterThan(1_000_000);
        }
    }

    /** Logs filler until {@code count} old files exist, none of them in {@code before}; returns them, oldest first. */
    private List<Path> logUntil(int count, List<Path> before) throws Exception {
        String filler = "x".repeat(1000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<Path> old;
            try (var files = Files.list(dir)) {
                old = files.filter(p -> p.getFileName().toString().startsWith("etcd-")).sorted().toList();
            }
            if (old.size() == count && !before.containsAll(old)) {
                return old;
            }
            assertThat(System.nanoTime() - deadline).as("rotated within 30 s").isNegative();
            for (int i = 0; i < 200; i++) {
                log.info("filler {}", filler);
            }
        }
    }

    @Test
    void noPasswordTokenOrPrivateKeyReachesTheLog() throws Exception {
        Path file = dir.resolve("etcd.log");
        LogbackSetup.apply(new LogSettings("info", List.of(file.toString()), "json"));
        log.atInfo().setMessage("user added").addKeyValue("password", "hunter2")
                .addKeyValue("simple-token", "tok-abc.123").addKeyValue("user", "alice").log();
        log.info("request: name: \"alice\" password: \"hunter2\" token=tok-abc.123");
        log.info("key: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN\n-----END PRIVATE KEY-----");
        log.warn("failed", new IllegalStateException("password=hunter2"));

        String text = Files.readString(file);
        assertThat(text).doesNotContain("hunter2").doesNotContain("tok-abc").doesNotContain("MIIEvQIBADAN")
                .contains("\"user\":\"alice\"").contains("<redacted>");
    }
}
