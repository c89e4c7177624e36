package io.etcdj.etcdctl.v2;

import io.etcdj.etcdutl.DataDirBackup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * {@code ETCDCTL_API=2 etcdctl backup}: etcdutl's {@link DataDirBackup} with etcdctl 3.4's flags
 * ({@code --with-v3} off unless given) and its logging: Go's standard log through capnslog
 * ({@code 2006-01-02 15:04:05.000000 I | message}, W for a warning) on stderr, nothing on stdout, and a failure logged
 * the same way before exiting with status 1. A member holding the source backend is waited for.
 */
final class BackupCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private BackupCommand() {
    }

    static GoFlags flags() {
        return new GoFlags().boolFlag("help", "h").valueFlag("data-dir").valueFlag("wal-dir").valueFlag("backup-dir")
                .valueFlag("backup-wal-dir").boolFlag("with-v3");
    }

    static void run(V2Context c) throws InterruptedException {
        GoFlags f = c.local;
        DataDirBackup.Options o = new DataDirBackup.Options(Path.of(f.string("data-dir")), optionalPath(f.string("wal-dir")),
                Path.of(f.string("backup-dir")), optionalPath(f.string("backup-wal-dir")), f.bool("with-v3"),
                Duration.ofDays(365));
        try {
            DataDirBackup.run(o, new DataDirBackup.Log() {
                @Override
                public void info(String message) {
                    log(c, "I | " + message);
                }

                @Override
                public void warn(String message) {
                    log(c, "W | pkg/fileutil: " + message);
                }
            });
        } catch (IOException | RuntimeException e) { // Go's log.Fatal
            log(c, "I | " + e.getMessage());
            throw new V2Exit(V2Exit.BAD_ARGS);
        }
    }

    private static Path optionalPath(String s) {
        return s.isEmpty() ? null : Path.of(s);
    }

    private static void log(V2Context c, String line) {
        c.err().print(LocalDateTime.now().format(TIME) + " " + line + "\n");
        c.err().flush();
    }
}
