package io.etcdj.server.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.Base64;
import java.util.List;

/**
 * Writes a protobuf message as etcd 3.4's gateway does (golang/protobuf jsonpb with
 * OrigName=true, EmitDefaults=false): proto field names, fields in declaration order, unset and
 * zero-valued fields left out (a set oneof member is always written), 64-bit integers as quoted
 * decimal strings, 32-bit integers as numbers, enums by name, bytes as padded standard base64,
 * strings escaped like Go's encoding/json (HTML-safe: {@code <>&} become {@code \u003c} etc.).
 * No whitespace is emitted.
 */
final class ProtoJsonWriter {
    private ProtoJsonWriter() {
    }

    static String write(Message m) {
        StringBuilder out = new StringBuilder();
        message(m, out);
        return out.toString();
    }

    static void message(Message m, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            if (f.isRepeated()) {
                if (m.getRepeatedFieldCount(f) == 0) {
                    continue;
                }
            } else if (f.getRealContainingOneof() != null || f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (!m.hasField(f)) {
                    continue;
                }
            } else if (isZero(m.getField(f))) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            string(f.getName(), out);
            out.append(':');
            if (f.isRepeated()) {
                out.append('[');
                List<?> values = (List<?>) m.getField(f);
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    value(f, values.get(i), out);
                }
                out.append(']');
            } else {
                value(f, m.getField(f), out);
            }
        }
        out.append('}');
    }

    private static boolean isZero(Object v) {
        if (v instanceof Boolean b) {
            return !b;
        } else if (v instanceof Integer i) {
            return i == 0;
        } else if (v instanceof Long l) {
            return l == 0;
        } else if (v instanceof String s) {
            return s.isEmpty();
        } else if (v instanceof ByteString b) {
            return b.isEmpty();
        } else if (v instanceof EnumValueDescriptor e) {
            return e.getNumber() == 0;
        }
        return false;
    }

    private static void value(FieldDescriptor f, Object v, StringBuilder out) {
        switch (f.getType()) {
            case MESSAGE, GROUP -> message((Message) v, out);
            case ENUM -> {
                EnumValueDescriptor e = (EnumValueDescriptor) v;
                if (e.getIndex() < 0 || e.getType().findValueByNumber(e.getNumber()) == null) {
                    out.append(e.getNumber());
                } else {
                    string(e.getName(), out);
                }
            }
            case BYTES -> out.append('"').append(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray())).append('"');
            case STRING -> string((String) v, out);
            case BOOL -> out.append(v);
            case INT64, SINT64, SFIXED64 -> out.append('"').append((long) (Long) v).append('"');
            case UINT64, FIXED64 -> out.append('"').append(Long.toUnsignedString((Long) v)).append('"');
            case UINT32, FIXED32 -> out.append(Integer.toUnsignedString((Integer) v));
            default -> out.append(v);
        }
    }

    /** A JSON string as Go's encoding/json writes it (HTML-safe escaping). */
    static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                case '\u2028' -> out.append("\\u2028");
                case '\u2029' -> out.append("\\u2029");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isSurrogate(c)
                            && !(Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                            && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
                        out.append('\ufffd');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
