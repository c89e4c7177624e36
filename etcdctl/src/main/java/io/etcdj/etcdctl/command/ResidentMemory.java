package io.etcdj.etcdctl.command;

import io.etcdj.etcdctl.print.Output;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * An endpoint's process_resident_memory_bytes, read from its /metrics over plain HTTP as check
 * datascale reads it; 0 (with etcdctl's line saying why) when it cannot be read.
 */
final class ResidentMemory {
    private static final String KEY = "process_resident_memory_bytes";

    private ResidentMemory() {}

    static double of(String host, Output out) {
        String url = (host.startsWith("http://") ? host : "http://" + host) + "/metrics";
        String body;
        try {
            body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (ConnectException e) {
            String addr = url.replaceFirst("^http://", "").replaceFirst("/.*$", "");
            out.println("fetch error: Get \"" + url + "\": dial tcp " + addr + ": connect: connection refused");
            return 0;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            out.println("fetch error: Get \"" + url + "\": " + e.getMessage());
            return 0;
        }
        for (String line : body.split("\n")) {
            if (line.startsWith(KEY)) {
                String v = line.substring(KEY.length()).strip();
                try {
                    return Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    out.println("parse error: strconv.ParseFloat: parsing \"" + v + "\": invalid syntax");
                    return 0;
                }
            }
        }
        out.println("could not find: " + KEY);
        return 0;
    }
}
