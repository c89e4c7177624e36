package io.etcdj.server.logging;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * --enable-log-rotation with --log-rotation-config-json: the single log file is renamed to
 * {@code <file>.1} (older ones shift up) once it exceeds {@code maxsize} megabytes, keeping
 * {@code maxbackups} old files (0: as many as Logback's window allows, 20), gzipped when
 * {@code compress}. etcd's {@code maxage} and {@code localtime} are accepted but not applied.
 *
 * @param maxSizeMegabytes size that triggers a rotation (etcd's default 100)
 * @param maxBackups old files kept (0: up to {@link #WINDOW})
 */
public record LogRotation(long maxSizeMegabytes, int maxBackups, boolean compress) {
    /** The most old files Logback's fixed window keeps. */
    public static final int WINDOW = 20;

    /** The number of old files kept. */
    public int keptFiles() {
        return maxBackups <= 0 ? WINDOW : Math.min(maxBackups, WINDOW);
    }

    /** The settings in {@code json} (etcd's keys; absent keys take etcd's defaults). */
    public static LogRotation fromJson(String json) {
        long maxSize = number(json, "maxsize").orElse(100L);
        int backups = (int) (long) number(json, "maxbackups").orElse(0L);
        Matcher compress = Pattern.compile("\"compress\"\\s*:\\s*(true|false)").matcher(json);
        return new LogRotation(Math.max(1, maxSize), backups, compress.find() && compress.group(1).equals("true"));
    }

    private static Optional<Long> number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }
}
