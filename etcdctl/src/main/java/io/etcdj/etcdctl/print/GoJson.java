package io.etcdj.etcdctl.print;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Go's encoding/json applied to etcd's gogo-generated response structs, which is what
 * {@code etcdctl -w json} prints: keys are the proto field names (the structs' json tags), every
 * field is omitempty, 64-bit integers are plain numbers (uint64 unsigned), bytes are standard
 * base64, enums are numbers, a oneof appears as {"OneofName":{"FieldName":...}} in Go's
 * CamelCase, and strings are escaped with Go's HTML-safe rules.
 */
public final class GoJson {
    private GoJson() {}

    public static String message(Message m) {
        StringBuilder b = new StringBuilder();
        writeMessage(b, m);
        return b.toString();
    }

    public static void writeMessage(StringBuilder b, Message m) {
        b.append('{');
        boolean first = true;
        Set<OneofDescriptor> seenOneofs = new HashSet<>();
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            OneofDescriptor oneof = f.getRealContainingOneof();
            if (oneof != null) {
                if (!seenOneofs.add(oneof)) {
                    continue;
                }
                if (!first) b.append(',');
                first = false;
                b.append(string(goName(oneof.getName()))).append(':');
                FieldDescriptor set = m.getOneofFieldDescriptor(oneof);
                if (set == null) {
                    b.append("null");
                } else {
                    b.append('{').append(string(goName(set.getName()))).append(':');
                    writeValue(b, set, m.getField(set));
                    b.append('}');
                }
                continue;
            }
            if (isEmpty(m, f)) {
                continue;
            }
            if (!first) b.append(',');
            first = false;
            b.append(string(f.getName())).append(':');
            if (f.isRepeated()) {
                b.append('[');
                List<?> items = (List<?>) m.getField(f);
                for (int i = 0; i < items.size(); i++) {
                    if (i > 0) b.append(',');
                    writeValue(b, f, items.get(i));
                }
                b.append(']');
            } else {
                writeValue(b, f, m.getField(f));
            }
        }
        b.append('}');
    }

    private static boolean isEmpty(Message m, FieldDescriptor f) {
        if (f.isRepeated()) {
            return m.getRepeatedFieldCount(f) == 0;
        }
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            return !m.hasField(f);
        }
        Object v = m.getField(f);
        return switch (f.getJavaType()) {
            case INT, LONG -> ((Number) v).longValue() == 0;
            case FLOAT, DOUBLE -> ((Number) v).doubleValue() == 0;
            case BOOLEAN -> !((Boolean) v);
            case STRING -> ((String) v).isEmpty();
            case BYTE_STRING -> ((ByteString) v).isEmpty();
            case ENUM -> ((EnumValueDescriptor) v).getNumber() == 0;
            default -> false;
        };
    }

    private static void writeValue(StringBuilder b, FieldDescriptor f, Object v) {
        switch (f.getType()) {
            case UINT64, FIXED64 -> b.append(Long.toUnsignedString((Long) v));
            case UINT32, FIXED32 -> b.append(Integer.toUnsignedString((Integer) v));
            case INT64, SINT64, SFIXED64, INT32, SINT32, SFIXED32 -> b.append(v);
            case BOOL -> b.append(v);
            case STRING -> b.append(string((String) v));
            case BYTES -> b.append('"').append(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()))
                    .append('"');
            case ENUM -> b.append(((EnumValueDescriptor) v).getNumber());
            case MESSAGE, GROUP -> writeMessage(b, (Message) v);
            default -> b.append(v);
        }
    }

    /** Go's CamelCase of a proto name, as gogo names struct fields ("response_range" -> "ResponseRange"). */
    static String goName(String protoName) {
        StringBuilder b = new StringBuilder();
        boolean up = true;
        for (char c : protoName.toCharArray()) {
            if (c == '_') {
                up = true;
                continue;
            }
            b.append(up ? Character.toUpperCase(c) : c);
            up = false;
        }
        return b.toString();
    }

    /** bytes as Go's encoding/json writes a []byte. */
    public static String bytes(byte[] v) {
        return '"' + Base64.getEncoder().encodeToString(v) + '"';
    }

    /** A Go JSON string literal (HTML-safe escaping, invalid UTF-8 replaced by U+FFFD). */
    public static String string(String s) {
        return string(s.getBytes(StandardCharsets.UTF_8));
    }

    public static String string(byte[] bs) {
        StringBuilder b = new StringBuilder(bs.length + 2);
        b.append('"');
        int i = 0;
        while (i < bs.length) {
            int[] d = Utf8.decode(bs, i);
            int r = d[0];
            if (r < 0) {
                b.append("\\ufffd");
                i++;
                continue;
            }
            i += d[1];
            switch (r) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '<', '>', '&', 0x2028, 0x2029 -> b.append(String.format("\\u%04x", r));
                default -> {
                    if (r < 0x20) {
                        b.append(String.format("\\u%04x", r));
                    } else {
                        b.appendCodePoint(r);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
