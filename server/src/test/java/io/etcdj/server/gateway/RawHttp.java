package io.etcdj.server.gateway;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client over a socket that keeps what higher-level clients hide: header
 * names with their case and order, and chunked trailers. One request per connection
 * ("Connection: close"). A streamed body can be read line by line with {@link #readLine()}.
 */
public final class RawHttp implements Closeable {
    private final Socket socket;
    private final InputStream in;
    final String statusLine;
    final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private final boolean chunked;
    private int chunkLeft;
    private boolean ended;
    private final List<Map.Entry<String, String>> trailers = new ArrayList<>();

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream()); // read() byte by byte below
        statusLine = line();
        String l;
        while (!(l = line()).isEmpty()) {
            int c = l.indexOf(':');
            headers.add(Map.entry(l.substring(0, c), l.substring(c + 1).trim()));
        }
        chunked = "chunked".equals(header("Transfer-Encoding"));
    }

    /** Sends a request and returns once the response head has arrived. */
    public static RawHttp open(int port, String method, String path, List<Map.Entry<String, String>> extraHeaders,
                        String body) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(20_000);
        StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        if (extraHeaders.stream().noneMatch(h -> h.getKey().equalsIgnoreCase("Host"))) {
            req.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        req.append("User-Agent: etcdj-test\r\nConnection: close\r\n");
        for (Map.Entry<String, String> h : extraHeaders) {
            req.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            req.append("Content-Type: application/x-www-form-urlencoded\r\n");
            req.append("Content-Length: ").append(b.length).append("\r\n");
        }
        req.append("\r\n");
        OutputStream out = s.getOutputStream();
        out.write(req.toString().getBytes(StandardCharsets.UTF_8));
        out.write(b);
        out.flush();
        try {
            return new RawHttp(s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** A whole request/response exchange. */
    public static HttpReply exchange(int port, String method, String path, List<Map.Entry<String, String>> extraHeaders,
                              String body) throws IOException {
        try (RawHttp r = open(port, method, path, extraHeaders, body)) {
            return r.readAll();
        }
    }

    /**
     * Sends {@code request} byte for byte (the caller writes the whole request, however broken)
     * and reads one reply; {@code head}: the reply to a HEAD request, which has no body.
     */
    public static HttpReply exchangeBytes(int port, byte[] request, boolean head) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        try (s) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            RawHttp r = new RawHttp(s);
            return head ? new HttpReply(r.statusLine, List.copyOf(r.headers), "", List.of()) : r.readAll();
        }
    }

    String header(String name) {
        return headers.stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /** Reads the rest of the body (and trailers) until the response ends. */
    public HttpReply readAll() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            int c;
            while ((c = bodyByte()) != -1) {
                body.write(c);
            }
        } else if (header("Content-Length") != null) {
            body.write(in.readNBytes(Integer.parseInt(header("Content-Length"))));
        } else {
            body.write(in.readAllBytes());
        }
        return new HttpReply(statusLine, List.copyOf(headers), body.toString(StandardCharsets.UTF_8), List.copyOf(trailers));
    }

    /** The next line of a chunked body, without its newline; null at the end of the body. */
    String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = bodyByte()) != -1 && c != '\n') {
            b.write(c);
        }
        return c == -1 && b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    private int bodyByte() throws IOException {
        if (ended) {
            return -1;
        }
        if (chunkLeft == 0) {
            int size = Integer.parseInt(line().trim(), 16);
            if (size == 0) {
                String t;
                while (!(t = line()).isEmpty()) {
                    int c = t.indexOf(':');
                    trailers.add(Map.entry(t.substring(0, c), t.substring(c + 1).trim()));
                }
                ended = true;
                return -1;
            }
            chunkLeft = size;
        }
        int c = in.read();
        if (c == -1) {
            throw new IOException("connection closed inside a chunk");
        }
        if (--chunkLeft == 0) {
            line();
        }
        return c;
    }

    private String line() throws IOException {
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

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
