package io.etcdj.server.proxy.v2;

import io.etcdj.server.v2.http.GoJson;
import io.etcdj.server.v2.http.MiniJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The v2 proxy's state, {@code <data-dir>/proxy/cluster}: the cluster's peer URLs as etcd writes
 * them, {@code {"PeerURLs":["http://...",...]}}. The directory is 0700 and the file 0600; a new
 * version is written to {@code cluster.bak}, synced, and renamed over the old one, so the file is
 * always either the old or the new list, never a torn one.
 */
public final class ProxyClusterFile {
    private final Path file;

    private ProxyClusterFile(Path file) {
        this.file = file;
    }

    /** The cluster file of the proxy whose data dir is {@code dataDir}; creates {@code dataDir/proxy}. */
    public static ProxyClusterFile in(Path dataDir) throws IOException {
        Path dir = dataDir.resolve("proxy");
        for (Path d : List.of(dataDir, dir)) {
            if (!Files.isDirectory(d)) {
                Files.createDirectories(d);
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
            }
        }
        return new ProxyClusterFile(dir.resolve("cluster"));
    }

    public Path path() {
        return file;
    }

    /** The peer URLs stored, or empty when no file was written yet. */
    public Optional<List<String>> read() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            Object doc = new MiniJson(text).parseDocument();
            List<String> urls = new ArrayList<>();
            if (doc instanceof Map<?, ?> m && m.get("PeerURLs") instanceof List<?> l) {
                for (Object o : l) {
                    urls.add(String.valueOf(o));
                }
            }
            return Optional.of(urls);
        } catch (MiniJson.SyntaxError e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Replaces the stored peer URLs (write to .bak, fsync, rename). */
    public void write(List<String> peerUrls) throws IOException {
        StringBuilder b = new StringBuilder("{\"PeerURLs\":[");
        for (int i = 0; i < peerUrls.size(); i++) {
            b.append(i == 0 ? "" : ",").append(GoJson.quote(peerUrls.get(i)));
        }
        b.append("]}");
        Path bak = file.resolveSibling(file.getFileName() + ".bak");
        try (FileChannel ch = FileChannel.open(bak, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.setPosixFilePermissions(bak, PosixFilePermissions.fromString("rw-------"));
        Files.move(bak, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
