/**
 * The member's durable state on disk: the write-ahead log ({@link io.etcdj.wal.Wal}), raft
 * snapshot files ({@link io.etcdj.wal.SnapshotStore}) and the data-dir layout and lock
 * ({@link io.etcdj.wal.DataDir}).
 *
 * <h2>The WAL format</h2>
 *
 * <p>This comment is the one place where the on-disk WAL format is written down; the code
 * ({@code RecordEncoder} writes, {@code SegmentReader} reads) follows it. All integers are
 * little-endian. "CRC32C" is the Castagnoli CRC as computed by {@link java.util.zip.CRC32C}.
 *
 * <h3>Segments</h3>
 * A WAL is a directory ({@code <data-dir>/member/wal}, or {@code --wal-dir}) of segment files
 * named {@code %016x-%016x.wal} (lower-case hex): the segment's <em>sequence number</em>
 * (0, 1, 2, ... without gaps) and the raft <em>index</em> of the first entry that was to be
 * written into it (0 for the first segment). Other names are ignored, except that
 * {@code *.tmp} files (segments being preallocated) are deleted when the WAL is opened.
 * A segment is created as a temporary file filled with zeros to the segment size
 * (64,000,000 bytes by default, as etcd's) and fsynced, so that appending never changes the
 * file's size or block allocation and an fdatasync writes data only. Its head records are
 * written and fsynced before it is renamed into place (and the directory fsynced), so a
 * visible segment always has a complete head. When a segment is left for the next one it is
 * truncated to the end of its last record and fsynced first: every segment but the last ends
 * exactly at the end of its last record, the last one continues with zeros.
 *
 * <h3>Frames</h3>
 * A segment is a sequence of frames, each starting at a multiple of 8:
 * <pre>
 *   offset 0      header word, 8 bytes:
 *                   bytes 0..3  N, the body length (0 &lt;= N &lt;= MAX_BODY = 2^30)
 *                   byte  4     record type (1..5, below)
 *                   bytes 5..7  header check: the low 24 bits of CRC32C(bytes 0..4)
 *   offset 8      body, N bytes
 *   offset 8+N    zero padding up to the next multiple of 8 (0..7 bytes)
 *   offset 8+P    trailer word, 8 bytes (P = N rounded up to a multiple of 8):
 *                   bytes 0..3  crc  = CRC32C(le32(previous crc) ++ header word ++ body)
 *                   bytes 4..7  ~crc (bitwise complement), so a trailer is never zero
 *   frame length = 16 + P
 * </pre>
 * The CRC is <em>chained</em>: every record's crc is computed over the previous record's crc
 * followed by its own header and body, so removing, reordering or replaying a record breaks
 * every crc after it. Header and trailer are 8-aligned words: a torn write (a sector of 512
 * bytes not reaching the disk) can zero one of them but never leave half of one.
 *
 * <h3>Record types and bodies</h3>
 * <pre>
 *   1 METADATA  opaque bytes given to Wal.create (the server stores node id and cluster id);
 *               every segment repeats it, and all copies must be equal
 *   2 ENTRY     a raft Entry, protobuf-encoded (io.etcdj.raft.pb.Entry)
 *   3 STATE     a raft HardState, protobuf-encoded (only non-empty hard states are written)
 *   4 CRC       le32(carried crc): the crc of the last record of the previous segment
 *               (0 in the first segment); its own crc is chained from the carried value
 *   5 SNAPSHOT  a snapshot marker, 16 bytes: le64(index) ++ le64(term); replay from a
 *               snapshot starts at the segment holding it and requires a marker with the same
 *               index and term
 * </pre>
 * Every segment starts with a CRC record, then a METADATA record; the first segment then has a
 * SNAPSHOT marker (index 0, term 0), every later one a STATE record with the newest hard state
 * (if any), so a segment can be read from without its predecessors. Appended batches follow.
 *
 * <h3>Replay</h3>
 * Opening at a snapshot (index, term) reads the last segment whose name index is
 * &lt;= the snapshot index and every later one, checking that sequence numbers are consecutive
 * and that each segment's CRC record carries the previous segment's last crc. Entries at or
 * below the snapshot index are skipped; an entry with index i replaces every entry at or after
 * i (raft truncation of a conflicting tail); an entry beyond the last index + 1 is an error.
 * The newest STATE record is the hard state.
 *
 * <h3>End of the log, torn writes and corruption</h3>
 * Reading a frame at offset o of the <em>last</em> segment ends the log there (the tail is then
 * zeroed and appending continues at o) when:
 * <ul>
 *   <li>fewer than 8 bytes remain, or the header word is zero (the clean end, or a header that
 *       never reached the disk);</li>
 *   <li>the header is valid but the frame extends beyond the end of the file (a write that
 *       grew the file was cut short);</li>
 *   <li>the header is valid, the crc does not match, and the frame shows a lost sector: the
 *       trailer word is zero, or a whole 512-byte-aligned sector inside the body is zero.</li>
 * </ul>
 * Anything else that does not verify (a header whose check fails, an unknown type, a crc
 * mismatch without a lost sector, non-zero padding, a broken chain between segments), and any
 * failure in a segment that is not the last, is corruption: opening fails with a
 * {@link io.etcdj.wal.WalCorruptException} naming the file and byte offset. (A record whose
 * body naturally holds a zero 512-byte sector and is <em>also</em> corrupted elsewhere would be
 * taken for a torn write; no format without per-sector checksums tells the two apart.)
 *
 * <h3>Writing</h3>
 * {@code Wal.save} encodes a whole batch (entries, then the hard state) into one buffer, writes
 * it with positional writes and, when asked, makes it durable with one fdatasync
 * ({@code FileChannel.force(false)}): group commit. Before a batch that would not fit in the
 * segment's remaining preallocated space, the WAL moves to the next segment, unless the current
 * segment holds no batch yet (a batch larger than a segment grows the file). The next segment
 * is preallocated by a background thread as soon as the tail is half full, so a cut only
 * writes and fsyncs the new head, truncates the old tail and renames.
 *
 * <h3>What a torn-tail rule cannot know</h3>
 * A zero header word also ends the log when non-zero frames follow it (a crash can persist a
 * later page of an unsynced batch and lose an earlier one); a disk that silently zeroes a
 * sector of <em>synced</em> records would therefore lose the records after it, as in etcd.
 * Every such repair is reported ({@code WalContents.repairedTail()}: file, offset, bytes
 * zeroed) so that the server can log it.
 */
package io.etcdj.wal;
