package io.etcdj.server.logging;

import ch.qos.logback.core.rolling.RollingPolicyBase;
import ch.qos.logback.core.rolling.RolloverFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Rotates the log file as etcd's rotating writer does: the full file becomes
 * {@code <name>-2006-01-02T15-04-05.000<ext>} (Go's layout; {@code <ext>} is the file's extension,
 * e.g. etcd.log gives etcd-2024-05-01T10-00-00.000.log), gzipped to {@code ...<ext>.gz} when
 * asked; then old files (recognised by that name shape, compressed or not) are deleted, the
 * oldest first, beyond {@link LogRotation#maxBackups} and when their name's timestamp is more than
 * {@link LogRotation#maxAgeDays} days old. Old files are pruned at start as well.
 */
final class LumberjackRollingPolicy extends RollingPolicyBase {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS");

    private final LogRotation rotation;
    private final Clock clock;
    /** The machine's time zone, for {@link LogRotation#localTime}. */
    private final ZoneId localZone;

    LumberjackRollingPolicy(LogRotation rotation, Clock clock, ZoneId localZone) {
        this.rotation = rotation;
        this.clock = clock;
        this.localZone = localZone;
    }

    @Override
    public void start() {
        super.start();
        prune();
    }

    @Override
    public String getActiveFileName() {
        return getParentsRawFileProperty();
    }

    @Override
    public void rollover() throws RolloverFailure {
        Path active = Path.of(getActiveFileName());
        if (!Files.exists(active)) {
            return;
        }
        Path backup = backupName(active, LocalDateTime.ofInstant(clock.instant(), zone()));
        try {
            Files.move(active, backup, StandardCopyOption.REPLACE_EXISTING);
            if (rotation.compress()) {
                gzip(backup);
            }
        } catch (IOException e) {
            throw new RolloverFailure("cannot rotate " + active + ": " + e.getMessage());
        }
        prune();
    }

    private ZoneId zone() {
        return rotation.localTime() ? localZone : ZoneOffset.UTC;
    }

    /** {@code dir/<name>-<stamp><ext>} for {@code dir/<name><ext>}. */
    static Path backupName(Path active, LocalDateTime when) {
        String file = active.getFileName().toString();
        String ext = extension(file);
        String stem = file.substring(0, file.length() - ext.length());
        return active.resolveSibling(stem + "-" + STAMP.format(when) + ext);
    }

    /** Go's filepath.Ext: from the last dot, or "" when there is none. */
    private static String extension(String file) {
        int dot = file.lastIndexOf('.');
        return dot < 0 ? "" : file.substring(dot);
    }

    private static void gzip(Path file) throws IOException {
        Path gz = file.resolveSibling(file.getFileName() + ".gz");
        try (InputStream in = Files.newInputStream(file); OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            in.transferTo(out);
        }
        Files.delete(file);
    }

    /** Deletes the old files beyond maxbackups (newest kept) and those older than maxage days. */
    void prune() {
        if (rotation.maxBackups() <= 0 && rotation.maxAgeDays() <= 0) {
            return;
        }
        Path active = Path.of(getActiveFileName()).toAbsolutePath();
        List<OldFile> old = oldFiles(active);
        old.sort(Comparator.comparing(OldFile::stamp).reversed());
        Instant cutoff = clock.instant().minus(Duration.ofDays(rotation.maxAgeDays()));
        for (int i = 0; i < old.size(); i++) {
            OldFile f = old.get(i);
            boolean surplus = rotation.maxBackups() > 0 && i >= rotation.maxBackups();
            boolean expired = rotation.maxAgeDays() > 0 && f.stamp().atZone(zone()).toInstant().isBefore(cutoff);
            if (surplus || expired) {
                try {
                    Files.deleteIfExists(f.path());
                } catch (IOException e) {
                    addWarn("cannot delete old log file " + f.path() + ": " + e.getMessage());
                }
            }
        }
    }

    private record OldFile(Path path, LocalDateTime stamp) {}

    private List<OldFile> oldFiles(Path active) {
        String file = active.getFileName().toString();
        String ext = extension(file);
        String prefix = file.substring(0, file.length() - ext.length()) + "-";
        List<OldFile> found = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(active.getParent())) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                String rest = name.endsWith(ext + ".gz") ? name.substring(0, name.length() - 3) : name;
                if (!rest.startsWith(prefix) || !rest.endsWith(ext) || rest.length() <= prefix.length() + ext.length()) {
                    continue;
                }
                try {
                    found.add(new OldFile(p, LocalDateTime.parse(
                            rest.substring(prefix.length(), rest.length() - ext.length()), STAMP)));
                } catch (DateTimeParseException notOurs) {
                    // another file with the same prefix
                }
            }
        } catch (IOException e) {
            addWarn("cannot list old log files beside " + active + ": " + e.getMessage());
        }
        return found;
    }
}
