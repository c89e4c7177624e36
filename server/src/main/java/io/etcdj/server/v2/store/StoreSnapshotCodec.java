package io.etcdj.server.v2.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte form of a whole v2 store, used inside raft snapshots. Layout (big-endian, strings as
 * length-prefixed UTF-8):
 * <pre>
 *   "ETCDJV2S" version:int namespaces:int{string} index:long
 *   tree: node = path created:long modified:long value dir:bool expire:long
 *                [childCount:int node*]   (children in name order, only when dir)
 *   history: count:int event*   event = action node-view prev-view? etcdIndex:long refresh:bool
 * </pre>
 * Encoding is canonical: equal stores give equal bytes.
 */
final class StoreSnapshotCodec {
    private static final String MAGIC = "ETCDJV2S";
    private static final int VERSION = 1;

    record Decoded(List<String> namespaces, long index, StoreNode root, List<V2Event> history) {
    }

    private StoreSnapshotCodec() {
    }

    static byte[] encode(List<String> namespaces, long index, StoreNode root, List<V2Event> history) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeBytes(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(namespaces.size());
            for (String ns : namespaces) {
                out.writeUTF(ns);
            }
            out.writeLong(index);
            writeNode(out, root);
            out.writeInt(history.size());
            for (V2Event e : history) {
                out.writeUTF(e.action());
                writeView(out, e.node());
                out.writeBoolean(e.prevNode() != null);
                if (e.prevNode() != null) {
                    writeView(out, e.prevNode());
                }
                out.writeLong(e.etcdIndex());
                out.writeBoolean(e.refresh());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Decoded decode(byte[] snapshot) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot));
            byte[] magic = new byte[MAGIC.length()];
            in.readFully(magic);
            if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
                throw new IllegalArgumentException("not a v2 store snapshot");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("unsupported v2 store snapshot version " + version);
            }
            int nns = in.readInt();
            List<String> namespaces = new ArrayList<>();
            for (int i = 0; i < nns; i++) {
                namespaces.add(in.readUTF());
            }
            long index = in.readLong();
            StoreNode root = readNode(in, null);
            int count = in.readInt();
            List<V2Event> history = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String action = in.readUTF();
                NodeView node = readView(in);
                NodeView prev = in.readBoolean() ? readView(in) : null;
                history.add(new V2Event(action, node, prev, in.readLong(), in.readBoolean()));
            }
            return new Decoded(namespaces, index, root, history);
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt v2 store snapshot", e);
        }
    }

    private static void writeNode(DataOutputStream out, StoreNode n) throws IOException {
        writeString(out, n.path);
        out.writeLong(n.createdIndex);
        out.writeLong(n.modifiedIndex);
        writeString(out, n.value);
        out.writeBoolean(n.isDir());
        out.writeLong(n.expireNanos);
        if (n.isDir()) {
            out.writeInt(n.children.size());
            for (StoreNode c : n.children.values()) {
                writeNode(out, c);
            }
        }
    }

    private static StoreNode readNode(DataInputStream in, StoreNode parent) throws IOException {
        String path = readString(in);
        long created = in.readLong();
        long modified = in.readLong();
        String value = readString(in);
        boolean dir = in.readBoolean();
        long expire = in.readLong();
        StoreNode n = StoreNode.restored(path, created, modified, value, dir, parent, expire);
        if (dir) {
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                StoreNode c = readNode(in, n);
                n.children.put(c.name(), c);
            }
        }
        return n;
    }

    private static void writeView(DataOutputStream out, NodeView v) throws IOException {
        writeNullable(out, v.key());
        out.writeBoolean(v.dir());
        writeNullable(out, v.value());
        out.writeInt(v.nodes() == null ? -1 : v.nodes().size());
        if (v.nodes() != null) {
            for (NodeView c : v.nodes()) {
                writeView(out, c);
            }
        }
        out.writeBoolean(v.expiration() != null);
        if (v.expiration() != null) {
            out.writeLong(v.expiration().getEpochSecond());
            out.writeInt(v.expiration().getNano());
        }
        out.writeLong(v.ttl());
        out.writeLong(v.modifiedIndex());
        out.writeLong(v.createdIndex());
    }

    private static NodeView readView(DataInputStream in) throws IOException {
        String key = readNullable(in);
        boolean dir = in.readBoolean();
        String value = readNullable(in);
        int n = in.readInt();
        List<NodeView> nodes = null;
        if (n >= 0) {
            nodes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                nodes.add(readView(in));
            }
        }
        Instant exp = in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
        return new NodeView(key, dir, value, nodes, exp, in.readLong(), in.readLong(), in.readLong());
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = GoStrings.toBytes(s); // a key's or value's bytes, UTF-8 or not
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return GoStrings.fromBytes(b);
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            writeString(out, s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }
}
