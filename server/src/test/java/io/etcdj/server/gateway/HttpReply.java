package io.etcdj.server.gateway;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A complete HTTP response as it came over the wire: header names, case and order kept. */
public record HttpReply(String statusLine, List<Map.Entry<String, String>> headers, String body,
                 List<Map.Entry<String, String>> trailers) {
    public int status() {
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    /** Everything a client sees, one item a line, with the Date value (the clock) left out. */
    public String transcript() {
        return statusLine + "\n"
                + headers.stream().map(e -> e.getKey() + ": " + (e.getKey().equals("Date") ? "<date>" : e.getValue()))
                        .collect(Collectors.joining("\n"))
                + "\n\n" + body
                + (trailers.isEmpty() ? "" : "\n-- trailers --\n" + trailers.stream()
                        .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n")));
    }
}
