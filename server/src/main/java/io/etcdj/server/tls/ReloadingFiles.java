package io.etcdj.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Something read from files (a key pair, a CA bundle, a revocation list) and read again when any
 * of them changes on disk, so rotated certificates take effect on the next connection without a
 * restart (etcd reloads its certificates on every new connection). Each {@link #get} compares
 * the files' modification times and sizes with those of the last read.
 *
 * <p>Invariant: {@link #get} always returns a value that was read completely; when a changed file
 * cannot be read (a rotation half-written), the previous value is kept and the next call tries
 * again.
 */
final class ReloadingFiles<T> {
    /** Reads the value from the files. */
    interface Loader<T> {
        T load() throws IOException;
    }

    private final List<Path> files;
    private final Loader<T> loader;
    private List<Object> stamps;
    private T value;
    private long generation;

    /** Reads the files once now: a value that cannot be read fails start-up. */
    ReloadingFiles(List<Path> files, Loader<T> loader) throws IOException {
        this.files = List.copyOf(files);
        this.loader = loader;
        this.stamps = stamps();
        this.value = loader.load();
    }

    /** The current value, re-read first if a file changed. */
    synchronized T get() {
        List<Object> now = stamps();
        if (!now.equals(stamps)) {
            try {
                value = loader.load();
                stamps = now;
                generation++;
            } catch (IOException | RuntimeException e) {
                // keep serving the last good value; a later call reads the files again
            }
        }
        return value;
    }

    /** How many times the value was re-read (0: still the first). */
    synchronized long generation() {
        return generation;
    }

    private List<Object> stamps() {
        List<Object> out = new ArrayList<>();
        for (Path f : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                out.add(List.of(a.lastModifiedTime().toMillis(), a.size(), Objects.toString(a.fileKey())));
            } catch (IOException e) {
                out.add("missing");
            }
        }
        return out;
    }
}
