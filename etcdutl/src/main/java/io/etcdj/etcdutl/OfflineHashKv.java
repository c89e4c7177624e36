package io.etcdj.etcdutl;

import io.etcdj.mvcc.HashKvResult;
import io.etcdj.mvcc.KvStore;
import io.etcdj.mvcc.MvccException;
import io.etcdj.mvcc.backend.Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code etcdutl hashkv} (etcd 3.6's): the KV history hash of a backend no member is using, as the
 * HashKV RPC computes it, with the revision hashed (the current one unless {@code --rev}) and the
 * compaction revision (-1: never compacted). The path is a data dir or its backend
 * ({@code member/snap/db}, a RocksDB directory where etcd has a bbolt file).
 */
public record OfflineHashKv(long hash, long hashRevision, long compactRevision) {

    /** Hashes the backend at {@code path} up to {@code rev} (0: the current revision). */
    public static OfflineHashKv of(Path path, long rev) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException("stat " + path + ": no such file or directory");
        }
        Path db = backendOf(path);
        try (Backend backend = Backend.open(db); KvStore store = KvStore.open(backend)) {
            HashKvResult h = store.hashKv(rev);
            return new OfflineHashKv(Integer.toUnsignedLong(h.hash()), rev == 0 ? h.currentRev() : rev, h.compactRev());
        } catch (MvccException e) {
            throw new IOException(e.getMessage().replaceFirst("^etcdserver: ", ""), e);
        } catch (RuntimeException e) {
            throw new IOException("cannot open database at " + db + " (" + e.getMessage() + ")", e);
        }
    }

    /** The backend a path names: itself, or the one of the data dir it is. Never creates one. */
    private static Path backendOf(Path path) throws IOException {
        for (Path db : List.of(OfflineDefrag.backendPath(path), path)) {
            if (Files.isRegularFile(db.resolve("CURRENT"))) {
                return db;
            }
        }
        throw new IOException(path + " is neither a data dir nor a backend (no " + OfflineDefrag.backendPath(path) + ")");
    }

    /** The answer in etcdutl's output formats. */
    String print(String format) {
        List<String> row = List.of(Long.toString(hash), Long.toString(hashRevision), Long.toString(compactRevision));
        return switch (format) {
            case "simple" -> String.join(", ", row) + "\n";
            case "json" -> "{\"hash\":" + hash + ",\"hashRevision\":" + hashRevision + ",\"compactRevision\":"
                    + compactRevision + "}\n";
            case "table" -> StatusPrinter.table(List.of("HASH", "HASH REVISION", "COMPACT REVISION"), row);
            case "fields" -> "\"Hash\" : " + hash + "\n\"Hash revision\" : " + hashRevision + "\n\"Compact revision\" : "
                    + compactRevision + "\n";
            default -> throw new IllegalArgumentException("unknown output format \"" + format + "\"");
        };
    }
}
