package io.etcdj.server.logging;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One entry of journald's native protocol: the datagram's fields, each {@code NAME=value\n}, or,
 * for a value holding a newline, {@code NAME\n}, the value's length as 64-bit little-endian,
 * the value and {@code \n}. Names are upper-case letters, digits and underscores.
 */
final class JournalFields {
    private JournalFields() {}

    /** The datagram of {@code fields}, in their iteration order. */
    static byte[] encode(Iterable<Map.Entry<String, String>> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        for (Map.Entry<String, String> field : fields) {
            byte[] name = field.getKey().getBytes(StandardCharsets.US_ASCII);
            byte[] value = field.getValue().getBytes(StandardCharsets.UTF_8);
            out.writeBytes(name);
            if (field.getValue().indexOf('\n') < 0) {
                out.write('=');
            } else {
                out.write('\n');
                out.writeBytes(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value.length).array());
            }
            out.writeBytes(value);
            out.write('\n');
        }
        return out.toByteArray();
    }
}
