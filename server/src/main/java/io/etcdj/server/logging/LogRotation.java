package io.etcdj.server.logging;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * --enable-log-rotation with --log-rotation-config-json, with the meaning etcd's rotating writer
 * (lumberjack) gives its keys: once the single log file exceeds {@code maxsize} megabytes it is
 * renamed to {@code <name>-<timestamp><ext>} (gzipped when {@code compress}), the timestamp in
 * UTC unless {@code localtime}; then the oldest old files beyond {@code maxbackups} (0: no limit)
 * and those older than {@code maxage} days (0: no limit) are deleted. See {@link LumberjackRollingPolicy}.
 *
 * @param maxSizeMegabytes size that triggers a rotation (etcd's default 100)
 * @param maxBackups old files kept (0: all)
 * @param maxAgeDays days an old file is kept, by the timestamp in its name (0: forever)
 * @param compress gzip old files
 * @param localTime timestamps in old files' names in the machine's time zone instead of UTC
 */
public record LogRotation(long maxSizeMegabytes, int maxBackups, int maxAgeDays, boolean compress, boolean localTime) {
    /** The settings in {@code json} (etcd's keys; absent keys take etcd's defaults). */
    public static LogRotation fromJson(String json) {
        long maxSize = number(json, "maxsize").orElse(100L);
        int backups = (int) Math.min(Integer.MAX_VALUE, number(json, "maxbackups").orElse(0L));
        int maxAge = (int) Math.min(Integer.MAX_VALUE, number(json, "maxage").orElse(0L));
        return new LogRotation(Math.max(1, maxSize), backups, maxAge, flag(json, "compress"), flag(json, "localtime"));
    }

    private static Optional<Long> number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    private static boolean flag(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(true|false)").matcher(json);
        return m.find() && m.group(1).equals("true");
    }
}
