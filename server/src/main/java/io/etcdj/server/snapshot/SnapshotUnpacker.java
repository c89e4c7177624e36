package io.etcdj.server.snapshot;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** Reads a {@link SnapshotFormat} file back into a backend directory, checking what it can. */
public final class SnapshotUnpacker {
    private SnapshotUnpacker() {}

    /**
     * Writes the files packed in {@code snapshotFile} into {@code targetDir} (created; must not exist).
     * Unless {@code skipHashCheck}, the file must end with a SHA-256 trailer matching its body (etcd's
     * texts for the failures).
     *
     * @throws IOException when the file is not a snapshot of ours, is truncated or fails the hash check
     */
    public static void unpack(Path snapshotFile, Path targetDir, boolean skipHashCheck) throws IOException {
        long fileSize = Files.size(snapshotFile);
        boolean trailer = SnapshotFormat.hasTrailer(fileSize);
        if (!trailer && !skipHashCheck) {
            throw new IOException("snapshot missing hash but --skip-hash-check=false");
        }
        long bodySize = trailer ? fileSize - SnapshotFormat.SHA256_BYTES : fileSize;
        if (trailer && !skipHashCheck) {
            verifyTrailer(snapshotFile, bodySize);
        }
        Files.createDirectories(targetDir.getParent());
        Files.createDirectory(targetDir);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(snapshotFile)))) {
            byte[] magic = new byte[SnapshotFormat.MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, SnapshotFormat.MAGIC)) {
                throw new IOException(snapshotFile + " is not an etcdj snapshot file");
            }
            long read = magic.length;
            while (true) {
                int nameLength = in.readInt();
                read += 4;
                if (nameLength == 0) {
                    break;
                }
                if (nameLength < 0 || nameLength > 4096) {
                    throw new IOException("corrupt snapshot record at byte " + (read - 4));
                }
                byte[] name = new byte[nameLength];
                in.readFully(name);
                long length = in.readLong();
                read += nameLength + 8 + length;
                String fileName = new String(name, StandardCharsets.UTF_8);
                if (length < 0 || read > bodySize || fileName.contains("/") || fileName.startsWith(".")) {
                    throw new IOException("corrupt snapshot record " + fileName);
                }
                try (OutputStream out = Files.newOutputStream(targetDir.resolve(fileName))) {
                    copy(in, out, length);
                }
            }
        } catch (EOFException e) {
            throw new IOException(snapshotFile + " is truncated", e);
        }
    }

    /**
     * Checks that the {@value SnapshotFormat#SHA256_BYTES} bytes after the first {@code bodySize} bytes of
     * {@code snapshotFile} are the SHA-256 of those bytes (etcd's text when they are not).
     */
    public static void verifyTrailer(Path snapshotFile, long bodySize) throws IOException {
        MessageDigest sha = sha256();
        byte[] expected = new byte[SnapshotFormat.SHA256_BYTES];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(snapshotFile))) {
            byte[] buf = new byte[64 * 1024];
            long left = bodySize;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new EOFException();
                }
                sha.update(buf, 0, n);
                left -= n;
            }
            new DataInputStream(in).readFully(expected);
        }
        byte[] actual = sha.digest();
        if (!Arrays.equals(expected, actual)) {
            throw new IOException("expected sha256 " + goBytes(expected) + ", got " + goBytes(actual));
        }
    }

    /** A byte slice as Go's %v prints it: unsigned decimals in brackets, separated by spaces. */
    private static String goBytes(byte[] b) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < b.length; i++) {
            s.append(i == 0 ? "" : " ").append(b[i] & 0xff);
        }
        return s.append(']').toString();
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException();
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }
}
