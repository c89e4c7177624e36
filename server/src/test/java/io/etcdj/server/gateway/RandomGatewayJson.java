package io.etcdj.server.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Writes one JSON object the way different clients of grpc-gateway would: a field under its proto
 * name or its JSON (lowerCamel) name, 64-bit integers as numbers or as strings, bytes in base64
 * with or without padding or in the url-safe alphabet, enums by name or by number. Every choice
 * comes from the given {@link Random}, so a seed replays the same text.
 */
final class RandomGatewayJson {
    private final Random rnd;
    private final List<String> fields = new ArrayList<>();
    private boolean goDecodes = true;

    RandomGatewayJson(Random rnd) {
        this.rnd = rnd;
    }

    /** A field whose value is already JSON text. */
    RandomGatewayJson raw(String protoName, String json) {
        fields.add("\"" + spelling(protoName) + "\":" + json);
        return this;
    }

    RandomGatewayJson int64(String protoName, long v) {
        return raw(protoName, rnd.nextInt(3) == 0 ? Long.toString(v) : "\"" + v + "\"");
    }

    RandomGatewayJson bool(String protoName, boolean v) {
        return raw(protoName, Boolean.toString(v));
    }

    RandomGatewayJson string(String protoName, String v) {
        return raw(protoName, "\"" + v + "\"");
    }

    /** Bytes (ISO-8859-1 chars as bytes) in base64: mostly standard, sometimes unpadded or url-safe. */
    RandomGatewayJson bytes(String protoName, String raw) {
        return raw(protoName, "\"" + base64(raw) + "\"");
    }

    /** An enum value: its name, its number, or its number as a string. */
    RandomGatewayJson enumValue(String protoName, List<String> names, int index) {
        return switch (rnd.nextInt(4)) {
            case 0 -> raw(protoName, Integer.toString(index));
            case 1 -> raw(protoName, "\"" + index + "\"");
            default -> raw(protoName, "\"" + names.get(index) + "\"");
        };
    }

    /** The object, its fields in the order given. */
    String object() {
        return "{" + String.join(",", fields) + "}";
    }

    String base64(String raw) {
        byte[] b = raw.getBytes(StandardCharsets.ISO_8859_1);
        String text = switch (rnd.nextInt(8)) {
            case 0 -> Base64.getEncoder().withoutPadding().encodeToString(b);
            case 1 -> Base64.getUrlEncoder().encodeToString(b);
            case 2 -> Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            default -> Base64.getEncoder().encodeToString(b);
        };
        // the gateway decodes bytes as Go's base64.StdEncoding: padded, standard alphabet only
        goDecodes &= text.equals(Base64.getEncoder().encodeToString(b));
        return text;
    }

    /** Whether every bytes field written so far decodes on etcd's gateway. */
    boolean goDecodes() {
        return goDecodes;
    }

    /** The proto name (snake_case) or the JSON name (lowerCamelCase) grpc-gateway also accepts. */
    private String spelling(String protoName) {
        if (rnd.nextBoolean() || !protoName.contains("_")) {
            return protoName;
        }
        StringBuilder camel = new StringBuilder();
        boolean up = false;
        for (char c : protoName.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                camel.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return camel.toString();
    }
}
