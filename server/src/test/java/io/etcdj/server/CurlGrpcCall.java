package io.etcdj.server;

import io.grpc.Status;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC call made with curl over cleartext HTTP/2, for what a gRPC client library cannot show:
 * the answer a server sends once the grpc-timeout it was given passes (grpc-java and grpc-go end
 * such a call themselves at their own deadline, which is the one they send). The request
 * messages go out at once and the client half-closes; the call's outcome is described as the
 * number of messages answered and the grpc-status and grpc-message (or how the stream ended
 * without them).
 */
final class CurlGrpcCall {
    private CurlGrpcCall() {
    }

    /** "N answers, then CODE: message" for {@code requests} to {@code method} with {@code grpcTimeout} (e.g. "300m"). */
    static String describe(String endpoint, String method, String grpcTimeout, byte[]... requests) throws Exception {
        Path body = Files.createTempFile("grpc-request", ".bin");
        Path answers = Files.createTempFile("grpc-answers", ".bin");
        Path log = Files.createTempFile("grpc-curl", ".log");
        try {
            Files.write(body, framed(requests));
            Process p = new ProcessBuilder("curl", "-sS", "-v", "--http2-prior-knowledge", "--max-time", "10",
                    "-H", "content-type: application/grpc", "-H", "te: trailers", "-H", "grpc-timeout: " + grpcTimeout,
                    "--data-binary", "@" + body, "-o", answers.toString(), "http://" + endpoint + "/" + method)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("curl did not end within 20 s");
            }
            return messages(Files.readAllBytes(answers)) + " answers, then " + status(Files.readString(log));
        } finally {
            Files.deleteIfExists(body);
            Files.deleteIfExists(answers);
            Files.deleteIfExists(log);
        }
    }

    private static byte[] framed(byte[]... messages) {
        int size = 0;
        for (byte[] m : messages) {
            size += 5 + m.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        for (byte[] m : messages) {
            b.put((byte) 0).putInt(m.length).put(m);
        }
        return b.array();
    }

    private static int messages(byte[] answers) {
        int count = 0;
        for (int at = 0; at + 5 <= answers.length; count++) {
            at += 5 + ByteBuffer.wrap(answers, at + 1, 4).getInt();
        }
        return count;
    }

    /** The status from curl's verbose lines ("< grpc-status: 2"), or curl's own complaint. */
    private static String status(String verbose) {
        String code = null;
        String message = "";
        List<String> complaints = new ArrayList<>();
        for (String line : verbose.split("\r?\n")) {
            if (line.startsWith("< grpc-status: ")) {
                code = Status.fromCodeValue(Integer.parseInt(line.substring(15).strip())).getCode().toString();
            } else if (line.startsWith("< grpc-message: ")) {
                message = URLDecoder.decode(line.substring(16).strip().replace("+", "%2B"), StandardCharsets.UTF_8);
            } else if (line.startsWith("curl: ")) {
                complaints.add(line);
            }
        }
        return code == null ? "no status: " + String.join(" ", complaints) : code + (message.isEmpty() ? "" : ": " + message);
    }
}
