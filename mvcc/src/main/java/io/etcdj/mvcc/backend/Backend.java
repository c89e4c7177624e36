package io.etcdj.mvcc.backend;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteOptions;

/**
 * The embedded store under the MVCC layer: one RocksDB database whose column families are the
 * {@link Bucket}s.
 *
 * <h2>Atomicity and the consistent index</h2>
 * Every {@link #commit(BackendBatch)} is one RocksDB {@code WriteBatch}, applied atomically, and it
 * carries the current consistent index ({@link #setConsistentIndex}) in the same batch. Hence after
 * any crash the persisted consistent index names exactly the last raft entry whose data is present:
 * every batch committed with index &le; it is there, nothing committed after it is.
 *
 * <h2>Sync policy</h2>
 * Commits go to RocksDB's write-ahead log <em>without fsync</em> ({@code sync=false}). The raft WAL is
 * the durability source: after a process crash RocksDB's log (already in the OS page cache) replays
 * every commit; after a power loss RocksDB recovers a consistent prefix of commits
 * ({@link WALRecoveryMode#PointInTimeRecovery}), and the server re-applies raft entries after the
 * recovered consistent index. Consequence for the server: before it releases raft WAL segments
 * (snapshot), it must call {@link #sync()} so the backend is durable up to the snapshot index.
 *
 * <h2>Threads</h2>
 * Reads and commits may come from any thread. The consistent index is set and committed by the
 * applier thread; {@link #commitWithoutConsistentIndex} is for background work (physical compaction)
 * whose effects are re-derivable and must not move the index.
 */
public final class Backend implements AutoCloseable {
    private static final long KEY_WRITE_BUFFER = 32L << 20;
    private static final long SMALL_WRITE_BUFFER = 4L << 20;
    private static final long MAX_TOTAL_WAL_SIZE = 64L << 20;
    /** Below this a memtable-only column family is not worth writing out on defragment. */
    static final long DEFRAG_MIN_MEMTABLE_BYTES = 256L << 10;

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> cfOptions = new ArrayList<>();
    private final List<ColumnFamilyHandle> allHandles;
    private final Map<Bucket, ColumnFamilyHandle> handles = new EnumMap<>(Bucket.class);
    private final RocksDB db;
    private final WriteOptions writeOptions;
    private final Object commitLock = new Object();
    private volatile ConsistentIndex pendingIndex;
    private volatile ConsistentIndex committedIndex;
    private volatile boolean closed;

    private Backend(Path dir) throws RocksDBException {
        this.dir = dir;
        this.dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
                .setMaxBackgroundJobs(2)
                .setKeepLogFileNum(2)
                .setAvoidFlushDuringShutdown(true)
                // rarely written buckets would otherwise pin old log files: flush them once the log
                // exceeds this
                .setMaxTotalWalSize(MAX_TOTAL_WAL_SIZE);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        ColumnFamilyOptions defaults = new ColumnFamilyOptions().setWriteBufferSize(SMALL_WRITE_BUFFER);
        cfOptions.add(defaults);
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, defaults));
        for (Bucket b : Bucket.values()) {
            ColumnFamilyOptions o = new ColumnFamilyOptions()
                    .setWriteBufferSize(b == Bucket.KEY ? KEY_WRITE_BUFFER : SMALL_WRITE_BUFFER);
            cfOptions.add(o);
            descriptors.add(new ColumnFamilyDescriptor(b.nameBytes(), o));
        }
        allHandles = new ArrayList<>();
        this.db = RocksDB.open(dbOptions, dir.toString(), descriptors, allHandles);
        for (Bucket b : Bucket.values()) {
            handles.put(b, allHandles.get(b.ordinal() + 1));
        }
        this.writeOptions = new WriteOptions().setSync(false);
        ConsistentIndex ci = readConsistentIndex();
        this.pendingIndex = ci;
        this.committedIndex = ci;
    }

    /** Opens (creating if needed) the backend in {@code dir}, e.g. {@code <data-dir>/member/snap/db}. */
    public static Backend open(Path dir) {
        if (Files.isRegularFile(dir)) {
            // etcd keeps its backend in one bbolt file at this path; ours is a RocksDB directory
            throw new BackendException("open " + dir + ": not a directory: it is a file, likely etcd's own bbolt"
                    + " database; etcdj's backend is not that format (start bin/etcd on the data dir once, which"
                    + " imports a member etcd wrote in place, or make a new member's data dir with"
                    + " 'etcdutl snapshot restore " + dir + " --skip-hash-check')");
        }
        try {
            Files.createDirectories(dir);
            return new Backend(dir);
        } catch (RocksDBException | IOException e) {
            throw new BackendException("open " + dir, e);
        }
    }

    public Path directory() {
        return dir;
    }

    ColumnFamilyHandle handle(Bucket bucket) {
        return handles.get(bucket);
    }

    // ---------------------------------------------------------------- reads

    /** The committed value of {@code key} in {@code bucket}, or null. */
    public byte[] get(Bucket bucket, byte[] key) {
        ensureOpen();
        try {
            return db.get(handle(bucket), key);
        } catch (RocksDBException e) {
            throw new BackendException("get", e);
        }
    }

    /** Committed values for {@code keys} (null where absent), in the order of {@code keys}. */
    public List<byte[]> multiGet(Bucket bucket, List<byte[]> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        if (keys.size() == 1) {
            return Collections.singletonList(get(bucket, keys.get(0)));
        }
        ensureOpen();
        try {
            List<ColumnFamilyHandle> hs = new ArrayList<>(keys.size());
            ColumnFamilyHandle h = handle(bucket);
            for (int i = 0; i < keys.size(); i++) {
                hs.add(h);
            }
            return db.multiGetAsList(hs, keys);
        } catch (RocksDBException e) {
            throw new BackendException("multiGet", e);
        }
    }

    /**
     * Visits the committed entries of {@code bucket} with {@code from <= key < to} (unsigned byte order)
     * in key order; {@code from == null} starts at the first key, {@code to == null} runs to the end.
     */
    public void forEach(Bucket bucket, byte[] from, byte[] to, KeyValueVisitor visitor) {
        scan((Snapshot) null, bucket, from, to, visitor);
    }

    /** A frozen view of what is committed now; close it promptly. */
    public BackendSnapshot snapshot() {
        ensureOpen();
        return new BackendSnapshot(this, db.getSnapshot());
    }

    void release(BackendSnapshot s) {
        db.releaseSnapshot(s.snapshot);
    }

    void scan(Snapshot snapshot, Bucket bucket, byte[] from, byte[] to, KeyValueVisitor visitor) {
        ensureOpen();
        try (ReadOptions ro = new ReadOptions()) {
            if (snapshot != null) {
                ro.setSnapshot(snapshot);
            }
            scanWith(ro, bucket, from, to, visitor);
        }
    }

    private void scanWith(ReadOptions ro, Bucket bucket, byte[] from, byte[] to, KeyValueVisitor visitor) {
        try (RocksIterator it = db.newIterator(handle(bucket), ro)) {
            if (from == null) {
                it.seekToFirst();
            } else {
                it.seek(from);
            }
            for (; it.isValid(); it.next()) {
                byte[] k = it.key();
                if (to != null && Arrays.compareUnsigned(k, to) >= 0) {
                    break;
                }
                if (!visitor.visit(k, it.value())) {
                    break;
                }
            }
            it.status();
        } catch (RocksDBException e) {
            throw new BackendException("scan " + bucket.bucketName(), e);
        }
    }

    // ---------------------------------------------------------------- writes

    public BackendBatch newBatch() {
        return new BackendBatch(this);
    }

    /**
     * Sets the consistent index that the next {@link #commit} records. Called by the applier before it
     * applies raft entry {@code index}.
     */
    public void setConsistentIndex(long index, long term) {
        pendingIndex = new ConsistentIndex(index, term);
    }

    /** The consistent index the next commit will record (on open: the persisted one). */
    public ConsistentIndex consistentIndex() {
        return pendingIndex;
    }

    /** The consistent index recorded by the last commit (on open: the persisted one). */
    public ConsistentIndex committedConsistentIndex() {
        return committedIndex;
    }

    /**
     * Commits {@code batch} atomically together with the current consistent index, then closes it.
     * An empty batch still persists the consistent index.
     */
    private volatile LongConsumer commitObserver = nanos -> { };
    private BackendFailpoints failpoints = BackendFailpoints.NONE;

    public void commit(BackendBatch batch) {
        synchronized (commitLock) {
            ConsistentIndex ci = pendingIndex;
            batch.put(Bucket.META, MetaKeys.CONSISTENT_INDEX, longBytes(ci.index()));
            batch.put(Bucket.META, MetaKeys.TERM, longBytes(ci.term()));
            failpoints.reach("beforeCommit");
            write(batch);
            failpoints.reach("afterCommit");
            committedIndex = ci;
        }
    }

    /** Installs the crash points (tests only); call before the backend is used. */
    public void onFailpoint(BackendFailpoints points) {
        this.failpoints = points;
    }

    /** Reaches the crash point {@code name} (for the backend's own background work, e.g. compaction). */
    public void failpoint(String name) {
        failpoints.reach(name);
    }

    /** Commits {@code batch} atomically without touching the consistent index, then closes it. */
    public void commitWithoutConsistentIndex(BackendBatch batch) {
        write(batch);
    }

    private void write(BackendBatch batch) {
        ensureOpen();
        long start = System.nanoTime();
        try (batch) {
            db.write(writeOptions, batch.batch);
        } catch (RocksDBException e) {
            throw new BackendException("commit", e);
        }
        commitObserver.accept(System.nanoTime() - start);
    }

    /** Told the duration in nanoseconds of every commit (the server's commit-latency metric). */
    public void onCommit(LongConsumer observer) {
        this.commitObserver = observer;
    }

    /** Makes every commit so far durable (fsyncs RocksDB's log). */
    public void sync() {
        ensureOpen();
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            throw new BackendException("sync", e);
        }
    }

    private ConsistentIndex readConsistentIndex() {
        byte[] index = get(Bucket.META, MetaKeys.CONSISTENT_INDEX);
        byte[] term = get(Bucket.META, MetaKeys.TERM);
        if (index == null) {
            return ConsistentIndex.NONE;
        }
        return new ConsistentIndex(bytesLong(index), term == null ? 0 : bytesLong(term));
    }

    // ---------------------------------------------------------------- maintenance

    /** Approximate sizes from RocksDB properties; cheap enough to call per request. */
    public BackendSize size() {
        ensureOpen();
        long total = 0;
        long live = 0;
        try {
            for (ColumnFamilyHandle h : allHandles) {
                long mem = db.getLongProperty(h, "rocksdb.cur-size-all-mem-tables");
                total += db.getLongProperty(h, "rocksdb.total-sst-files-size") + mem;
                live += db.getLongProperty(h, "rocksdb.estimate-live-data-size") + mem;
            }
        } catch (RocksDBException e) {
            throw new BackendException("size", e);
        }
        return new BackendSize(total, Math.min(total, live));
    }

    /**
     * etcd's defragment: flushes memtables and fully compacts every column family worth it, dropping
     * deleted entries and overwritten versions. Returns the sizes before and after.
     *
     * <p>A column family with no table file and a memtable under {@value #DEFRAG_MIN_MEMTABLE_BYTES}
     * bytes is left alone: writing it out would add a table file's fixed overhead (index, filter,
     * properties, footer) and make the reported size grow, which etcd's defragment never does.
     */
    public DefragmentResult defragment() {
        BackendSize before = size();
        failpoints.reach("defragBeforeCopy");
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            for (ColumnFamilyHandle h : allHandles) {
                long tables = db.getLongProperty(h, "rocksdb.total-sst-files-size");
                long memtable = db.getLongProperty(h, "rocksdb.cur-size-all-mem-tables");
                if (tables > 0 || memtable >= DEFRAG_MIN_MEMTABLE_BYTES) {
                    db.flush(fo, h);
                    db.compactRange(h);
                }
            }
        } catch (RocksDBException e) {
            throw new BackendException("defragment", e);
        }
        failpoints.reach("defragBeforeRename"); // compacted files written, not all yet the live ones
        return new DefragmentResult(before, size());
    }

    /** Sizes before and after {@link #defragment()}. */
    public record DefragmentResult(BackendSize before, BackendSize after) {
    }

    /**
     * Writes a consistent, openable copy of the committed state to {@code target} (which must not exist),
     * using hard links where possible. Used for snapshots.
     */
    public void checkpoint(Path target) {
        ensureOpen();
        try (Checkpoint cp = Checkpoint.create(db)) {
            cp.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new BackendException("checkpoint " + target, e);
        }
    }

    /**
     * CRC-32C over every bucket in {@link Bucket} declaration order: the bucket name, then each key and
     * value in key order. The consistent index and term are left out, so members with the same applied
     * history hash equally whatever their raft positions.
     */
    public int hash() {
        CRC32C crc = new CRC32C();
        try (BackendSnapshot snap = snapshot()) {
            for (Bucket b : Bucket.values()) {
                crc.update(b.nameBytes());
                snap.forEach(b, null, null, (k, v) -> {
                    boolean raftPosition = b == Bucket.META
                            && (Arrays.equals(k, MetaKeys.CONSISTENT_INDEX) || Arrays.equals(k, MetaKeys.TERM));
                    if (!raftPosition) {
                        crc.update(k);
                        crc.update(v);
                    }
                    return true;
                });
            }
        }
        return (int) crc.getValue();
    }

    /** Native handles must never be used after close (that would crash the JVM, not throw). */
    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("backend " + dir + " is closed");
        }
    }

    /** Closes the database; every later call throws. Close the {@code KvStore} on top first. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            // closing anyway; the raft WAL still covers anything unsynced
        }
        for (ColumnFamilyHandle h : allHandles) {
            h.close();
        }
        db.close();
        writeOptions.close();
        dbOptions.close();
        cfOptions.forEach(ColumnFamilyOptions::close);
    }

    public static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    public static long bytesLong(byte[] b) {
        return ByteBuffer.wrap(b).getLong();
    }
}
