package io.etcdj.etcdctl.golden;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.TextFormat;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.TxnResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * What {@code -w protobuf} printed, as protobuf text: two servers' binary answers differ in their
 * varint lengths where IDs differ (cluster, member, lease), so they are compared decoded, then masked
 * like the other formats. Decoding hides nothing else: a print that is not exactly the message's own
 * encoding is marked {@code NOT-CANONICAL}, and one that does not parse is left as it was.
 */
final class ProtobufOutput {
    /** The message each command prints; the lease commands print only the response header. */
    private static final Map<String, Parser<? extends Message>> PRINTED = Map.of(
            "get", RangeResponse.parser(),
            "put", PutResponse.parser(),
            "del", DeleteRangeResponse.parser(),
            "txn", TxnResponse.parser(),
            "lease", ResponseHeader.parser());

    /** What {@code txn -i} prints before the response. */
    private static final String TXN_PROMPTS =
            "compares:\nsuccess requests (get, put, del):\nfailure requests (get, put, del):\n";

    private ProtobufOutput() {}

    /** {@code stdout} (bytes as ISO-8859-1 chars) of {@code command} as text, or unchanged if not protobuf. */
    static String asText(String command, String stdout) {
        Parser<? extends Message> parser = PRINTED.get(command);
        if (parser == null || stdout.isEmpty()) {
            return stdout;
        }
        if (stdout.startsWith(TXN_PROMPTS)) {
            return TXN_PROMPTS + asText(command, stdout.substring(TXN_PROMPTS.length()));
        }
        byte[] bytes = stdout.getBytes(StandardCharsets.ISO_8859_1);
        try {
            Message m = parser.parseFrom(bytes);
            String mark = Arrays.equals(m.toByteArray(), bytes) ? "" : "NOT-CANONICAL ";
            return mark + TextFormat.printer().escapingNonAscii(false).printToString(m);
        } catch (InvalidProtocolBufferException e) {
            return stdout;
        }
    }
}
