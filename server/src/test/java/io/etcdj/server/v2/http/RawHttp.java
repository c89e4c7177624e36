package io.etcdj.server.v2.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tiny HTTP/1.1 client over a socket that keeps the response exactly as sent: header names with
 * their case and in their order (java.net.http.HttpClient hides both). One request per connection
 * ("Connection: close"); chunked bodies are decoded.
 */
final class RawHttp {
    record Reply(int status, String statusLine, List<Map.Entry<String, String>> headers, String body) {
        String header(String name) {
            return headers.stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }
    }

    private RawHttp() {
    }

    static Reply send(int port, String method, String pathAndQuery, String body, String contentType)
            throws IOException {
        return send(port, method, pathAndQuery, body, contentType, 30_000);
    }

    static Reply send(int port, String method, String pathAndQuery, String body, String contentType,
                      int timeoutMillis) throws IOException {
        return send(port, method, pathAndQuery, body, contentType, timeoutMillis, List.of());
    }

    /** {@code extraHeaders}: whole header lines ("Name: value"), sent after the others. */
    static Reply send(int port, String method, String pathAndQuery, String body, String contentType,
                      int timeoutMillis, List<String> extraHeaders) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(timeoutMillis);
            StringBuilder req = new StringBuilder();
            req.append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n");
            req.append("Host: 127.0.0.1:").append(port).append("\r\n");
            req.append("User-Agent: etcdj-test\r\n");
            req.append("Connection: close\r\n");
            for (String h : extraHeaders) {
                req.append(h).append("\r\n");
            }
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                if (contentType != null) {
                    req.append("Content-Type: ").append(contentType).append("\r\n");
                }
                req.append("Content-Length: ").append(b.length).append("\r\n");
            }
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.write(b);
            out.flush();
            return read(s.getInputStream(), method.equals("HEAD"));
        }
    }

    private static Reply read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        String l;
        while (!(l = line(in)).isEmpty()) {
            int c = l.indexOf(':');
            headers.add(Map.entry(l.substring(0, c), l.substring(c + 1).trim()));
        }
        Reply partial = new Reply(status, statusLine, headers, "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (!head && status != 204 && status != 304) {
            if ("chunked".equals(partial.header("Transfer-Encoding"))) {
                while (true) {
                    int size = Integer.parseInt(line(in).trim(), 16);
                    if (size == 0) {
                        line(in);
                        break;
                    }
                    body.write(in.readNBytes(size));
                    line(in);
                }
            } else if (partial.header("Content-Length") != null) {
                body.write(in.readNBytes(Integer.parseInt(partial.header("Content-Length"))));
            } else {
                body.write(in.readAllBytes());
            }
        }
        return new Reply(status, statusLine, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c == -1 && b.size() == 0) {
            throw new IOException("connection closed");
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
